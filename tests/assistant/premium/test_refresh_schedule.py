"""After a failed refresh the assistant asks again within a minute, then less and less
often, never less often than while all is well (nor than every quarter hour while an
offline-code use waits to be reported); a success brings back the normal rhythm."""

from __future__ import annotations

import random

import pytest

from assistant.premium.refresh_schedule import RefreshSchedule

MINUTE = 60.0
SIX_HOURS = 6 * 3600.0


def test_waits_double_after_each_failure_up_to_the_normal_interval():
    schedule = RefreshSchedule(jitter=0)

    waits = [schedule.next_wait(failed=True) for _ in range(12)]

    assert waits[:4] == [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]
    assert max(waits) == SIX_HOURS and waits[-1] == SIX_HOURS
    assert schedule.next_wait(failed=False) == SIX_HOURS
    assert schedule.next_wait(failed=True) == MINUTE  # a new outage starts over


def test_while_an_offline_code_use_waits_to_be_reported_retries_stay_a_quarter_hour_apart():
    schedule = RefreshSchedule(jitter=0)
    for _ in range(10):
        schedule.next_wait(failed=True)  # the connection has been away for hours

    assert schedule.next_wait(failed=True) == SIX_HOURS
    assert schedule.next_wait(failed=True, pending=True) == 15 * MINUTE


def test_the_random_part_only_ever_shortens_a_wait_by_up_to_a_fifth():
    schedule = RefreshSchedule(chance=random.Random(7))
    waits = []
    for _ in range(200):
        waits.append(schedule.next_wait(failed=True))
        schedule.next_wait(failed=False)

    assert all(0.8 * MINUTE <= wait <= MINUTE for wait in waits)
    assert len(set(waits)) > 100  # not all in step


def test_the_first_retry_can_be_set_for_tests_and_support():
    schedule = RefreshSchedule.from_environment({"ISP_ASSISTANT_REFRESH_RETRY_SECONDS": "0.5"})

    assert 0.4 <= schedule.next_wait(failed=True) <= 0.5
    with pytest.raises(ValueError, match="ISP_ASSISTANT_REFRESH_RETRY_SECONDS"):
        RefreshSchedule.from_environment({"ISP_ASSISTANT_REFRESH_RETRY_SECONDS": "soon"})
