"""The login's attempt limits with a clock passed in: failures slow down, then lock a user
name (or an address), and the lock ends after its time, without any test sleeping. And a
hundred wrong passwords at once over HTTP: only as many are checked as the limit allows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from agent_portal.audit.service import entries_for
from agent_portal.auth import login, service
from agent_portal.auth.audit_events import Event
from agent_portal.unit_of_work import committed
from tests.agent_portal.auth.accounts import PASSWORD, login_form_token
from tests.support.burst import burst
from tests.support.portal_data import TLS_CHECK

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
ADDRESS = "203.0.113.9"
POLICY = login.LoginPolicy(
    max_failures=3,
    max_failures_per_address=5,
    lock=timedelta(minutes=15),
    delay_per_failure=0.5,
    delay_cap=1.2,
    session_lifetime=timedelta(hours=8),
)


def attempt(
    database, username: str, password: str, now: datetime, address: str = ADDRESS
) -> login.LoginResult:
    with database.session() as db_session:
        # Committed as the login route commits it: a success ends the user's failures.
        return committed(login.authenticate)(
            db_session=db_session,
            username=username,
            password=password,
            address=address,
            now=now,
            policy=POLICY,
        )


def test_the_lock_starts_at_the_maximum_and_ends_after_its_time(database):
    database.create_staff("anna", "agent")
    for minute in range(POLICY.max_failures - 1):
        result = attempt(database, "anna", "guess", START + timedelta(minutes=minute))
        assert not result.ok and result.locked_until is None

    locking_time = START + timedelta(minutes=5)
    locking = attempt(database, "anna", "guess", locking_time)
    assert locking.locked_until == locking_time + POLICY.lock
    assert locking.lock_minutes_left(locking_time) == 15

    # The right password during the lock is refused, and says how long is left.
    later = locking_time + timedelta(minutes=10, seconds=30)
    refused = attempt(database, "anna", PASSWORD, later)
    assert not refused.ok
    assert refused.lock_minutes_left(later) == 5

    # After the lock the right password works, and the count starts again from zero.
    after = locking_time + POLICY.lock
    accepted = attempt(database, "anna", PASSWORD, after)
    assert accepted.ok and accepted.session_token
    with database.session() as db_session:
        assert (
            login.recent_failures(db_session=db_session, username="anna", now=after, policy=POLICY)
            == 0
        )
        member = service.get_staff_by_username(db_session=db_session, username="anna")
        assert member.last_login_at == after


def test_failures_far_apart_do_not_lock(database):
    database.create_staff("anna", "agent")
    for step in range(POLICY.max_failures + 2):
        now = START + step * (POLICY.lock + timedelta(seconds=1))
        assert attempt(database, "anna", "guess", now).locked_until is None
    assert attempt(database, "anna", PASSWORD, now + timedelta(seconds=1)).ok


def test_unknown_user_names_lock_just_like_real_ones(database):
    database.create_staff("anna", "agent")
    results = {}
    for username, address in (("anna", "203.0.113.1"), ("nobody", "203.0.113.2")):
        for _attempt in range(POLICY.max_failures):
            results[username] = attempt(database, username, "guess", START, address)
    assert results["anna"] == results["nobody"]  # same lock, same end: nothing to tell apart
    assert results["nobody"].locked_until == START + POLICY.lock


def test_the_delay_grows_with_each_failure_up_to_the_cap(database):
    policy = login.LoginPolicy(
        max_failures=10,
        max_failures_per_address=10,
        lock=timedelta(minutes=15),
        delay_per_failure=0.5,
        delay_cap=1.2,
        session_lifetime=timedelta(hours=8),
    )
    database.create_staff("anna", "agent")
    delays = []
    for second in range(4):
        with database.session() as db_session:
            result = committed(login.authenticate)(
                db_session=db_session,
                username="anna",
                password="guess",
                address=ADDRESS,
                now=START + timedelta(seconds=second),
                policy=policy,
            )
        delays.append(result.delay_seconds)
    assert delays == [0.5, 1.0, 1.2, 1.2]


@pytest.mark.parametrize(("failures", "delay"), [(0, 0.0), (1, 0.5), (2, 1.0), (3, 1.2), (50, 1.2)])
def test_failure_delay(failures, delay):
    assert login.failure_delay(failures=failures, policy=POLICY) == delay


def test_failures_from_one_address_lock_it_for_every_user_name(database):
    database.create_staff("anna", "agent")
    names = [f"guess{number}" for number in range(POLICY.max_failures_per_address)]
    results = [attempt(database, name, "Sommer2025!", START) for name in names]
    assert [result.locked_until for result in results[:-1]] == [None] * (len(names) - 1)
    assert results[-1].locked_until == START + POLICY.lock

    # Anna's right password from that address waits for the lock; from her own it works.
    assert attempt(database, "anna", PASSWORD, START).locked_until == START + POLICY.lock
    assert attempt(database, "anna", PASSWORD, START, address="198.51.100.20").ok


def test_failed_logins_and_the_lock_are_in_the_audit_log(database):
    for _attempt in range(POLICY.max_failures):
        attempt(database, "Nobody", "guess", START)
    with database.session() as db_session:
        failed = entries_for(db_session=db_session, event=Event.STAFF_LOGIN_FAILED)
        locked = entries_for(db_session=db_session, event=Event.STAFF_LOGIN_LOCKED)
    assert [(entry.address, entry.data["username"]) for entry in failed] == [
        (ADDRESS, "nobody")
    ] * POLICY.max_failures
    assert [(entry.address, entry.actor_kind) for entry in locked] == [(ADDRESS, "anonymous")]


def test_a_hundred_wrong_passwords_at_once_check_only_the_limit(portal, database, settings):
    database.create_staff("anna", "agent")
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30) as client:
        token = login_form_token(client)
        cookies = dict(client.cookies)
    form = {"csrf_token": token, "username": "anna", "password": "Sommer2025!"}

    answers = burst(
        portal.url, 100, lambda client, _n: client.post("/login", data=form), cookies=cookies
    )

    limit = settings.login_max_failures
    with database.session() as db_session:
        assert len(entries_for(db_session=db_session, event=Event.STAFF_LOGIN_FAILED)) == limit
        assert len(entries_for(db_session=db_session, event=Event.STAFF_LOGIN_LOCKED)) == 1
    assert Counter(answer.status_code for answer in answers) == {401: limit - 1, 429: 101 - limit}
    assert attempt(database, "anna", PASSWORD, datetime.now(UTC), "127.0.0.1").locked_until
