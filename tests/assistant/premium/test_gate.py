"""The premium gate: free features always, premium only with a valid entitlement."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from assistant.premium.errors import FeatureLocked, WrongTokenSource
from assistant.premium.gate import LockReason, PremiumGate
from assistant.premium.subscription_store import StoredSubscription, SubscriptionStore
from isp_common.entitlements import EntitlementSource
from isp_common.errors import TokenExpired, WrongDevice
from isp_common.features import Tier
from isp_common.offline_codes import OfflineCodeUse
from tests.support.premium_keys import keys_as_the_assistant_sees_them, make_claims

AGENT_CODE = EntitlementSource.AGENT_CODE


def _reason(gate: PremiumGate, feature_id: str) -> str:
    with pytest.raises(FeatureLocked) as locked:
        gate.require(feature_id)
    assert locked.value.feature_id == feature_id
    return locked.value.reason


def test_free_features_are_always_allowed(gate):
    for feature_id in ("internet_check", "wifi_check", "modem_check", "email_check"):
        assert gate.allows(feature_id)
        assert gate.require(feature_id) is None


def test_premium_is_locked_without_an_entitlement(gate):
    assert not gate.allows("cleanup")
    assert _reason(gate, "cleanup") == LockReason.NO_ENTITLEMENT
    assert _reason(gate, "time_travel") == LockReason.UNKNOWN_FEATURE


def test_a_subscription_unlocks_its_tier(gate, ring, device, clock):
    claims = gate.set_subscription(ring.sign(make_claims(device.device_id)), refreshed_at=clock())

    assert gate.require("cleanup") == claims
    assert gate.allows("security_warnings")
    assert _reason(gate, "technician_visit") == LockReason.TIER_TOO_LOW
    status = gate.status()
    assert status.tier is Tier.PREMIUM and status.sources == (EntitlementSource.SUBSCRIPTION,)


def test_a_feature_the_server_left_out_stays_locked(gate, ring, device, clock):
    claims = make_claims(device.device_id).model_copy(update={"features": ("system_info",)})
    gate.set_subscription(ring.sign(claims), refreshed_at=clock())

    assert gate.allows("system_info")
    assert _reason(gate, "cleanup") == LockReason.NOT_INCLUDED


def test_a_cancelled_subscription_unlocks_nothing(gate, ring, device, clock):
    gate.set_subscription(
        ring.sign(make_claims(device.device_id, tier=Tier.NONE)), refreshed_at=clock()
    )

    assert _reason(gate, "cleanup") == LockReason.NO_ENTITLEMENT
    assert gate.allows("internet_check")


def test_an_agent_code_unlocks_the_session_until_it_ends(gate, ring, device, clock):
    token = ring.sign(make_claims(device.device_id, source=AGENT_CODE, lifetime=timedelta(hours=8)))

    gate.start_session(token)
    assert gate.require("cleanup").source is AGENT_CODE
    assert gate.status().session_active

    gate.end_session()
    assert _reason(gate, "cleanup") == LockReason.NO_ENTITLEMENT


def test_a_session_unlock_is_gone_in_a_new_gate_while_the_subscription_comes_back(
    gate, ring, device, clock, tmp_path
):
    store = SubscriptionStore(tmp_path / "assistant-data")
    subscription = ring.sign(make_claims(device.device_id, tier=Tier.PREMIUM))
    gate.set_subscription(subscription, refreshed_at=clock())
    store.save(StoredSubscription(token=subscription, refreshed_at=clock()))
    gate.start_session(
        ring.sign(make_claims(device.device_id, tier=Tier.PREMIUM_PLUS, source=AGENT_CODE))
    )
    assert gate.allows("technician_visit")

    # The app closes and starts again.
    gate.close()
    restarted = PremiumGate(
        device_id=device.device_id, keys=keys_as_the_assistant_sees_them(ring), clock=clock
    )
    stored = store.load()
    restarted.set_subscription(stored.token, refreshed_at=stored.refreshed_at)

    assert restarted.allows("cleanup")
    assert not restarted.allows("technician_visit")
    assert not restarted.status().session_active
    assert not gate.allows("technician_visit")


def test_an_expired_session_token_locks(gate, ring, device, clock):
    token = ring.sign(make_claims(device.device_id, source=AGENT_CODE, lifetime=timedelta(hours=1)))
    gate.start_session(token)

    clock.advance(timedelta(hours=1))

    assert _reason(gate, "cleanup") == LockReason.EXPIRED
    with pytest.raises(TokenExpired):
        gate.start_session(token)


def test_offline_the_subscription_works_for_the_grace_period_after_its_last_refresh(
    gate, ring, device, clock
):
    refreshed_at = clock()
    gate.set_subscription(ring.sign(make_claims(device.device_id)), refreshed_at=refreshed_at)
    grace_end = refreshed_at + timedelta(days=7)

    assert gate.allows("cleanup", now=refreshed_at + timedelta(days=3))  # token expired
    assert gate.allows("cleanup", now=grace_end - timedelta(seconds=1))
    assert not gate.allows("cleanup", now=grace_end + timedelta(seconds=1))
    clock.now = grace_end + timedelta(seconds=1)
    assert _reason(gate, "cleanup") == LockReason.EXPIRED


def test_the_grace_period_is_configurable(ring, device, clock):
    gate = PremiumGate(
        device_id=device.device_id,
        keys=keys_as_the_assistant_sees_them(ring),
        clock=clock,
        offline_grace=timedelta(days=2),
    )
    gate.set_subscription(ring.sign(make_claims(device.device_id)), refreshed_at=clock())

    assert gate.allows("cleanup", now=clock() + timedelta(days=2) - timedelta(seconds=1))
    assert not gate.allows("cleanup", now=clock() + timedelta(days=2, seconds=1))


def test_a_stored_subscription_loaded_offline_works_within_the_grace_period(
    gate, ring, device, clock
):
    token = ring.sign(make_claims(device.device_id))
    refreshed_at = clock()
    clock.advance(timedelta(days=4))  # started again later, offline; the token has expired

    gate.set_subscription(token, refreshed_at=refreshed_at)

    assert gate.allows("cleanup")


def test_tokens_that_unlock_nothing_keep_the_previous_subscription(
    gate, ring, device, other_device, clock
):
    gate.set_subscription(ring.sign(make_claims(device.device_id)), refreshed_at=clock())

    with pytest.raises(WrongDevice):
        gate.set_subscription(ring.sign(make_claims(other_device.device_id)), refreshed_at=clock())
    with pytest.raises(WrongTokenSource):
        gate.set_subscription(
            ring.sign(make_claims(device.device_id, source=AGENT_CODE)), refreshed_at=clock()
        )
    with pytest.raises(WrongTokenSource):
        gate.start_session(ring.sign(make_claims(device.device_id)))
    assert gate.allows("cleanup")
    assert not gate.status().session_active


def test_an_offline_code_unlocks_premium_for_the_session(gate, device, other_device, clock):
    use = OfflineCodeUse(device_id=device.device_id, time_step=1, used_at=clock())

    claims = gate.start_offline_session(use, account_number="K-100234")

    assert claims.source is EntitlementSource.OFFLINE_CODE
    assert gate.allows("cleanup") and not gate.allows("technician_visit")
    with pytest.raises(WrongDevice):
        gate.start_offline_session(
            use.model_copy(update={"device_id": other_device.device_id}), account_number="K-1"
        )
    gate.end_session()
    assert not gate.allows("cleanup")


def test_the_gate_answers_consistently_while_sessions_start_and_end(gate, ring, device):
    token = ring.sign(make_claims(device.device_id, source=AGENT_CODE))
    answers: list[bool] = []
    failures: list[BaseException] = []

    def ask() -> None:
        try:
            for _ in range(300):
                answers.append(gate.allows("cleanup"))
                assert gate.allows("internet_check")
        except BaseException as error:  # reported below, in the main thread
            failures.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(100):
        gate.start_session(token)
        gate.end_session()
    for thread in threads:
        thread.join()

    assert failures == [] and len(answers) == 1200
    assert not gate.allows("cleanup")
