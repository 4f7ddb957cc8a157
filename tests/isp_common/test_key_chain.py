"""Which server keys an assistant trusts: the ones its build pins, and the ones a chain of
endorsements links to them. A key anyone else puts into the key set (the server offering
it, or the customer editing the copy in the data folder) is not trusted."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assistant.premium.gate import PremiumGate
from isp_common import errors
from isp_common.entitlements import (
    KeyEndorsement,
    PublishedKey,
    PublishedKeys,
    sign_entitlement,
)
from isp_common.features import Tier
from isp_common.key_chain import PinnedKey, endorse, follow_chain
from isp_common.signing_keys import key_id_for
from tests.support.premium_keys import keys_as_the_assistant_sees_them, make_claims

ZEROS = base64.b64encode(bytes(64)).decode()


@pytest.fixture
def pinned(ring) -> list[PinnedKey]:
    """What the ISP's build pins: the server's first key."""
    return [PinnedKey.of(ring.public_keys().keys[0])]


def own_key(clock, **endorsement) -> tuple[Ed25519PrivateKey, PublishedKey]:
    private = Ed25519PrivateKey.generate()
    key_id = key_id_for(private.public_key())
    published = PublishedKey.from_key(key_id, private.public_key(), created_at=clock())
    if endorsement:
        published = published.model_copy(update={"endorsement": KeyEndorsement(**endorsement)})
    return private, published


def offering(ring, key: PublishedKey) -> PublishedKeys:
    """The server's key set with `key` added as the current one."""
    published = ring.public_keys()
    return PublishedKeys(current_key_id=key.key_id, keys=(*published.keys, key))


def test_a_key_of_ones_own_is_not_trusted_however_it_is_presented(ring, pinned, device, clock):
    private, mine = own_key(clock)
    presentations = {
        "plain": mine,
        "endorsed by itself": endorse(mine, signer_id=mine.key_id, signer=private),
        "claiming the server's key": endorse(mine, signer_id=ring.current_key_id, signer=private),
        "with a made-up signature": mine.model_copy(
            update={"endorsement": KeyEndorsement(signed_by=ring.current_key_id, signature=ZEROS)}
        ),
    }
    premium_plus = make_claims(device.device_id, tier=Tier.PREMIUM_PLUS, issued_at=clock())
    token = sign_entitlement(premium_plus, private, mine.key_id)
    gate = PremiumGate(device_id=device.device_id, clock=clock)

    for how, presented in presentations.items():
        trusted = follow_chain(offering(ring, presented), pinned)
        assert not trusted.trusts_current_key, how
        gate.set_keys(trusted)
        with pytest.raises(errors.UnknownSigningKey):
            gate.set_subscription(token, refreshed_at=clock())
    assert gate.status().tier is Tier.NONE


def test_each_rotation_is_trusted_through_the_endorsement_of_the_key_before(ring, pinned, clock):
    first = ring.current_key_id
    clock.advance(timedelta(days=10))
    second = ring.rotate()
    clock.advance(timedelta(days=10))
    third = ring.rotate()

    trusted = follow_chain(keys_as_the_assistant_sees_them(ring), pinned)

    assert trusted.current_key_id == third
    assert set(trusted.verification_keys(clock())) == {second, third}  # the first is history
    assert trusted.keys[first].retired_at == trusted.keys[second].retired_at - timedelta(days=10)
    assert trusted.keys[third].retired_at is None


def test_an_endorsement_covers_the_key_and_its_date(ring, pinned, clock):
    second = ring.rotate()
    published = ring.public_keys()
    new = next(key for key in published.keys if key.key_id == second)
    _private, other = own_key(clock)
    changes = [
        {"public_key": other.public_key},
        {"created_at": new.created_at + timedelta(days=300)},
    ]
    for change in changes:
        changed = new.model_copy(update=change)
        keys = tuple(changed if key.key_id == second else key for key in published.keys)
        trusted = follow_chain(published.model_copy(update={"keys": keys}), pinned)
        assert not trusted.trusts_current_key, change


def test_a_published_key_cannot_take_the_place_of_a_pinned_one(ring, pinned, clock):
    _private, impostor = own_key(clock)
    same_id = impostor.model_copy(update={"key_id": ring.current_key_id})
    keys = PublishedKeys(current_key_id=ring.current_key_id, keys=(same_id,))

    trusted = follow_chain(keys, pinned)

    pinned_key = base64.b64decode(pinned[0].public_key)
    assert trusted.keys[ring.current_key_id].public_key.public_bytes_raw() == pinned_key


def test_a_revoked_key_is_neither_trusted_nor_followed(ring, pinned, clock):
    first = ring.current_key_id
    second = ring.rotate()

    trusted = follow_chain(keys_as_the_assistant_sees_them(ring), pinned, revoked=[first])

    assert trusted.keys == {} and not trusted.trusts_current_key
    rebuilt = [*pinned, PinnedKey.of(ring.public_keys().keys[1])]
    assert follow_chain(ring.public_keys(), rebuilt, revoked=[first]).current_key_id == second


def test_nothing_is_trusted_without_a_pinned_key(ring, clock):
    trusted = follow_chain(keys_as_the_assistant_sees_them(ring), [])

    assert trusted.verification_keys(clock()) == {} and not trusted.trusts_current_key
