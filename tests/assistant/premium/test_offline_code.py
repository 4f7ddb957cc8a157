"""Offline unlock codes: the code an agent reads out works once, on that device only."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest

from assistant.premium.errors import (
    CodeAlreadyUsed,
    CodeFormatInvalid,
    CodeInvalid,
    OfflineCodeError,
    TooManyAttempts,
)
from assistant.premium.offline_code import STATE_FILE_NAME, OfflineCodeVerifier
from isp_common.offline_codes import OfflineCodeIssuer, format_code, new_device_secret

ISSUER = OfflineCodeIssuer()


@pytest.fixture
def secret() -> str:
    return new_device_secret()


@pytest.fixture
def state_dir(tmp_path):
    return tmp_path / "assistant-data"


@pytest.fixture
def verifier(secret, device, state_dir, clock) -> OfflineCodeVerifier:
    return OfflineCodeVerifier(
        secret=secret, device_id=device.device_id, state_dir=state_dir, clock=clock
    )


def _restarted(verifier: OfflineCodeVerifier, secret, state_dir, clock) -> OfflineCodeVerifier:
    return OfflineCodeVerifier(
        secret=secret, device_id=verifier.device_id, state_dir=state_dir, clock=clock
    )


def test_the_code_the_portal_shows_unlocks_once(verifier, secret, gate, clock):
    code = ISSUER.code_for(secret, clock())
    assert len(code) == 8 and code.isdigit()

    use = verifier.redeem(format_code(code))  # as read out: "1234 5678"
    gate.start_offline_session(use, account_number="K-100234")

    assert gate.allows("cleanup")
    with pytest.raises(CodeAlreadyUsed) as refused:
        verifier.redeem(code)
    assert refused.value.code == "code_already_used"


def test_a_used_code_stays_used_after_a_restart(verifier, secret, state_dir, clock):
    code = ISSUER.code_for(secret, clock())
    verifier.redeem(code)

    with pytest.raises(CodeAlreadyUsed):
        _restarted(verifier, secret, state_dir, clock).redeem(code)


def test_a_code_works_for_the_next_quarter_hour_but_not_longer(verifier, secret, clock):
    code = ISSUER.code_for(secret, clock())
    valid_until = ISSUER.valid_until(clock())

    clock.now = valid_until
    with pytest.raises(CodeInvalid):
        verifier.redeem(code)
    clock.now = valid_until - timedelta(seconds=1)
    assert verifier.redeem(code).used_at == clock.now


def test_a_code_for_another_device_is_refused(verifier, clock):
    other_devices_code = ISSUER.code_for(new_device_secret(), clock())

    with pytest.raises(CodeInvalid) as refused:
        verifier.redeem(other_devices_code)
    assert refused.value.attempts_left == 4


def test_typing_slips_are_not_counted_as_attempts(verifier, secret, clock):
    for slip in ("1234", "123456789", "abcdefgh", "", "１２３４５６７８"):
        with pytest.raises(CodeFormatInvalid):
            verifier.redeem(slip)

    assert verifier.redeem(ISSUER.code_for(secret, clock()))


def test_a_thousand_wrong_guesses_unlock_nothing_and_lock(verifier, secret, state_dir, clock):
    right = {
        ISSUER.code_for(secret, clock()),
        ISSUER.code_for(secret, clock() - timedelta(minutes=15)),
    }
    guesses = [f"{n:08d}" for n in range(1_100) if f"{n:08d}" not in right][:1_000]
    outcomes: dict[str, int] = {}

    for guess in guesses:
        try:
            verifier.redeem(guess)
        except OfflineCodeError as error:
            outcomes[error.code] = outcomes.get(error.code, 0) + 1
        else:
            outcomes["unlocked"] = outcomes.get("unlocked", 0) + 1

    assert outcomes == {"code_invalid": 4, "too_many_attempts": 996}
    assert verifier.unreported_uses() == ()
    assert verifier.locked_until() == clock() + timedelta(minutes=15)
    # While locked even the right code is refused, also after a restart.
    right_now = ISSUER.code_for(secret, clock())
    with pytest.raises(TooManyAttempts):
        verifier.redeem(right_now)
    with pytest.raises(TooManyAttempts):
        _restarted(verifier, secret, state_dir, clock).redeem(right_now)


def test_the_lock_lifts_after_a_quarter_of_an_hour(verifier, secret, clock):
    for guess in ("00000001", "00000002", "00000003", "00000004", "00000005"):
        with pytest.raises((CodeInvalid, TooManyAttempts)):
            verifier.redeem(guess)

    clock.advance(timedelta(minutes=14, seconds=59))
    with pytest.raises(TooManyAttempts):
        verifier.redeem(ISSUER.code_for(secret, clock()))
    clock.advance(timedelta(seconds=1))
    assert verifier.locked_until() is None
    assert verifier.redeem(ISSUER.code_for(secret, clock()))


def test_wrong_codes_spread_over_time_do_not_lock(verifier, secret, clock):
    for guess in ("00000001", "00000002", "00000003", "00000004"):
        with pytest.raises(CodeInvalid):
            verifier.redeem(guess)
        clock.advance(timedelta(minutes=5))

    with pytest.raises(CodeInvalid) as refused:
        verifier.redeem("00000005")
    assert refused.value.attempts_left == 2  # the first two fell out of the 15 minutes
    assert verifier.redeem(ISSUER.code_for(secret, clock()))


def test_uses_are_kept_until_the_server_has_them(verifier, secret, state_dir, clock, device):
    use = verifier.redeem(ISSUER.code_for(secret, clock()))
    restarted = _restarted(verifier, secret, state_dir, clock)

    assert restarted.unreported_uses() == (use,)
    assert use.device_id == device.device_id
    restarted.mark_reported([use])
    assert restarted.unreported_uses() == ()
    with pytest.raises(CodeAlreadyUsed):
        restarted.redeem(ISSUER.code_for(secret, clock()))


def test_the_unlock_state_is_readable_by_its_owner_only(verifier, secret, state_dir, clock):
    verifier.redeem(ISSUER.code_for(secret, clock()))

    assert stat.S_IMODE((state_dir / STATE_FILE_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE(state_dir.stat().st_mode) == 0o700


def test_codes_follow_the_published_derivation_so_portal_and_assistant_agree():
    # HMAC-SHA256 of the step (8 bytes, big-endian) under the secret, modulo 10^8. Pinned,
    # because assistants already installed compute codes this way: RFC 6238's secret
    # "12345678901234567890", steps 1 and 59.
    from isp_common.offline_codes import code_for_step

    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert [code_for_step(secret, 1), code_for_step(secret, 59)] == ["35305746", "40811024"]
