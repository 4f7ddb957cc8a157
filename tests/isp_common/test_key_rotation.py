"""A key rotation revokes: no token lives longer than MAX_TOKEN_LIFETIME, so once that long
has passed since a key was retired, nothing it signs verifies any more: not at the server's
published keys, not at an assistant that follows them. A leaked key is useless from then on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from agent_portal.config import PortalSettings
from assistant.premium.gate import PremiumGate
from isp_common import errors
from isp_common.entitlements import (
    MAX_TOKEN_LIFETIME,
    EntitlementSource,
    sign_entitlement,
    verify_entitlement,
)
from isp_common.key_chain import PinnedKey, follow_chain
from tests.support.premium_keys import START, keys_as_the_assistant_sees_them, make_claims

AGENT_CODE = EntitlementSource.AGENT_CODE


def leaked_private_key(ring):
    """The current key's private key, as someone who copied the key file holds it."""
    return load_pem_private_key((ring.directory / f"{ring.current_key_id}.key").read_bytes(), None)


def test_a_token_meant_to_live_longer_than_the_maximum_is_refused(ring, device):
    too_long = ring.sign(make_claims(device.device_id, lifetime=MAX_TOKEN_LIFETIME + timedelta(1)))
    longest = ring.sign(make_claims(device.device_id, lifetime=MAX_TOKEN_LIFETIME))
    keys = keys_as_the_assistant_sees_them(ring).verification_keys(START)

    with pytest.raises(errors.TokenLifetimeTooLong) as refused:
        verify_entitlement(too_long, keys, device_id=device.device_id, now=START)
    assert refused.value.code == "token_lifetime_too_long"
    assert verify_entitlement(longest, keys, device_id=device.device_id, now=START)


def test_a_year_long_token_of_a_genuine_key_unlocks_nothing_in_the_gate(gate, ring, device):
    a_year = ring.sign(make_claims(device.device_id, lifetime=timedelta(days=365)))

    with pytest.raises(errors.TokenLifetimeTooLong):
        gate.set_subscription(a_year, refreshed_at=START)
    assert not gate.allows("cleanup")


def test_a_leaked_key_signs_nothing_valid_once_its_tokens_can_have_expired(ring, device, clock):
    pinned = [PinnedKey.of(ring.public_keys().keys[0])]
    leaked_id, leaked = ring.current_key_id, leaked_private_key(ring)
    ring.rotate()  # the ISP rotates after the leak
    retired_at = clock()

    def forged(now):
        """What the key's holder signs at `now`: a fresh day of Premium."""
        claims = make_claims(device.device_id, issued_at=now, source=AGENT_CODE)
        return sign_entitlement(claims, leaked, leaked_id)

    def assistant_gate(now):
        clock.now = now
        trusted = follow_chain(keys_as_the_assistant_sees_them(ring), pinned)
        return PremiumGate(device_id=device.device_id, keys=trusted, clock=clock)

    # Until the longest token lifetime has passed, tokens signed before the rotation may
    # still be valid, so the key still verifies ...
    just_before = retired_at + MAX_TOKEN_LIFETIME - timedelta(seconds=1)
    assistant_gate(just_before).start_session(forged(just_before))
    kept_by_an_offline_assistant = keys_as_the_assistant_sees_them(ring)
    assert leaked_id in [key.key_id for key in kept_by_an_offline_assistant.keys]
    # ... and from then on, never again: the server publishes it only as history, and an
    # assistant that still holds the older key set drops it by itself.
    after = retired_at + MAX_TOKEN_LIFETIME
    clock.now = after
    published = ring.public_keys()
    assert [key.key_id for key in published.keys] == [published.current_key_id]
    assert [key.key_id for key in published.history] == [leaked_id]
    with pytest.raises(errors.UnknownSigningKey):
        assistant_gate(after).start_session(forged(after))
    with pytest.raises(errors.UnknownSigningKey):
        verify_entitlement(
            forged(after),
            published.verification_keys(after),
            device_id=device.device_id,
            now=after,
        )
    older_copy = follow_chain(kept_by_an_offline_assistant, pinned)
    assert leaked_id not in older_copy.verification_keys(after)


def test_the_server_signs_no_subscription_longer_than_the_maximum():
    with pytest.raises(ValueError, match="entitlement_lifetime_hours"):
        PortalSettings(_env_file=None, entitlement_lifetime_hours=73)
    assert PortalSettings(_env_file=None, entitlement_lifetime_hours=72)
