"""Entitlement tokens: a genuine one unlocks, anything else unlocks nothing and says why."""

from __future__ import annotations

import base64
import json
import stat
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from isp_common import errors
from isp_common.entitlements import (
    EntitlementSource,
    PublishedKeys,
    sign_entitlement,
    verify_entitlement,
)
from isp_common.features import Tier
from isp_common.signing_keys import SigningKeyRing
from tests.support.premium_keys import START, keys_as_the_assistant_sees_them, make_claims


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _verify(token, ring, device, now=START):
    keys = keys_as_the_assistant_sees_them(ring).verification_keys(now)
    return verify_entitlement(token, keys, device_id=device.device_id, now=now)


def test_a_signed_token_verifies_with_all_its_claims(ring, device):
    claims = make_claims(device.device_id, tier=Tier.PREMIUM_PLUS)
    token = ring.sign(claims)

    verified = _verify(token, ring, device, now=START + timedelta(hours=2))

    assert verified.model_dump(exclude={"key_id"}) == claims.model_dump(exclude={"key_id"})
    assert verified.key_id == ring.current_key_id
    assert "technician_visit" in verified.features
    assert verified.source is EntitlementSource.SUBSCRIPTION


def test_one_changed_byte_in_the_claims_is_refused(ring, device):
    payload, signature = ring.sign(make_claims(device.device_id)).split(".")
    claims = _unb64(payload)
    changed = claims.replace(b"K-100234", b"K-100235")  # someone else's account
    assert len(changed) == len(claims) and changed != claims

    with pytest.raises(errors.BadSignature) as refused:
        _verify(f"{_b64(changed)}.{signature}", ring, device)
    assert refused.value.code == "bad_signature"


def test_a_raised_tier_is_refused(ring, device):
    payload, signature = ring.sign(make_claims(device.device_id)).split(".")
    raw = json.loads(_unb64(payload))
    raw["tier"], raw["features"] = "premium_plus", [*raw["features"], "technician_visit"]

    with pytest.raises(errors.BadSignature):
        _verify(f"{_b64(json.dumps(raw).encode())}.{signature}", ring, device)


def test_one_changed_byte_in_the_signature_is_refused(ring, device):
    payload, signature = ring.sign(make_claims(device.device_id)).split(".")
    damaged = bytearray(_unb64(signature))
    damaged[17] ^= 0x01

    with pytest.raises(errors.BadSignature) as refused:
        _verify(f"{payload}.{_b64(bytes(damaged))}", ring, device)
    assert refused.value.code == "bad_signature"


def test_no_single_changed_character_anywhere_unlocks_anything(ring, device):
    token = ring.sign(make_claims(device.device_id))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
    for position, original in enumerate(token):
        for substitute in {alphabet[(alphabet.index(original) + step) % 65] for step in (1, 2)}:
            changed = token[:position] + substitute + token[position + 1 :]
            with pytest.raises(errors.EntitlementError):
                _verify(changed, ring, device)


def test_a_second_spelling_of_the_same_signature_is_refused(ring, device):
    payload, signature = ring.sign(make_claims(device.device_id)).split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    # 64 bytes need 86 characters; the last one's lowest 4 bits are padding, so flipping
    # one of them spells the very same bytes differently.
    respelled = signature[:-1] + alphabet[alphabet.index(signature[-1]) ^ 1]
    assert _unb64(respelled) == _unb64(signature) and respelled != signature

    with pytest.raises(errors.TokenMalformed):
        _verify(f"{payload}.{respelled}", ring, device)


def test_an_expired_token_is_refused(ring, device):
    token = ring.sign(make_claims(device.device_id, lifetime=timedelta(hours=1)))

    assert _verify(token, ring, device, now=START + timedelta(minutes=59)).tier is Tier.PREMIUM
    with pytest.raises(errors.TokenExpired) as refused:
        _verify(token, ring, device, now=START + timedelta(hours=1))
    assert refused.value.code == "token_expired"


def test_a_token_for_another_device_is_refused(ring, device, other_device):
    token = ring.sign(make_claims(other_device.device_id))

    with pytest.raises(errors.WrongDevice) as refused:
        _verify(token, ring, device)
    assert refused.value.code == "wrong_device"


def test_a_token_signed_by_an_unknown_key_is_refused(ring, device, tmp_path, clock):
    impostor = SigningKeyRing(tmp_path / "impostor", clock=clock)
    token = impostor.sign(make_claims(device.device_id))

    with pytest.raises(errors.UnknownSigningKey) as refused:
        _verify(token, ring, device)
    assert refused.value.code == "unknown_signing_key"


def test_a_token_claiming_a_known_key_id_but_signed_by_another_key_is_refused(ring, device):
    forged = sign_entitlement(
        make_claims(device.device_id), Ed25519PrivateKey.generate(), ring.current_key_id
    )

    with pytest.raises(errors.BadSignature):
        _verify(forged, ring, device)


def test_a_token_from_the_future_is_refused_beyond_a_small_clock_skew(ring, device):
    token = ring.sign(make_claims(device.device_id, issued_at=START + timedelta(hours=1)))
    slightly_ahead = ring.sign(
        make_claims(device.device_id, issued_at=START + timedelta(minutes=4))
    )

    with pytest.raises(errors.TokenNotYetValid) as refused:
        _verify(token, ring, device)
    assert refused.value.code == "token_not_yet_valid"
    assert _verify(slightly_ahead, ring, device).tier is Tier.PREMIUM


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "hello",
        ".",
        "a.b",
        "a.b.c",
        "Ünïcödé.x",
        "x" * 10_000,
        _b64(b"not json") + "." + _b64(bytes(64)),
        _b64(b"[1, 2, 3]") + "." + _b64(bytes(64)),
        _b64(b'{"key_id": 7}') + "." + _b64(bytes(64)),
        _b64(b'{"key_id": "k"}') + "." + _b64(bytes(10)),
        "eyJrZXlfaWQiOiAiayJ9." + "=" * 86,
    ],
)
def test_garbage_is_refused_as_malformed(ring, device, garbage):
    with pytest.raises(errors.TokenMalformed) as refused:
        _verify(garbage, ring, device)
    assert refused.value.code == "token_malformed"


def test_each_refusal_has_its_own_code_and_a_plain_message():
    codes = [error.code for error in errors.ALL_ERRORS]
    assert len(set(codes)) == len(codes)
    for error in errors.ALL_ERRORS:
        assert error.message.endswith(".") and "token" not in error.message.lower()


def test_rotation_keeps_tokens_signed_by_the_old_key_valid_until_they_expire(ring, device, clock):
    old_key_id = ring.current_key_id
    before = ring.sign(make_claims(device.device_id))
    clock.advance(timedelta(hours=1))

    new_key_id = ring.rotate()
    after = ring.sign(make_claims(device.device_id, issued_at=clock()))

    published = PublishedKeys.model_validate_json(ring.public_keys().model_dump_json())
    assert new_key_id != old_key_id and published.current_key_id == new_key_id
    retired = {key.key_id: key.retired_at for key in published.keys}
    assert retired == {old_key_id: clock(), new_key_id: None}
    assert _verify(before, ring, device, now=clock()).key_id == old_key_id
    assert _verify(after, ring, device, now=clock()).key_id == new_key_id
    with pytest.raises(errors.TokenExpired):
        _verify(before, ring, device, now=START + timedelta(days=1))


def test_after_rotation_the_old_private_key_is_gone_and_a_restart_signs_with_the_new_one(
    ring, device, clock
):
    old_key_id = ring.current_key_id
    new_key_id = ring.rotate()

    files = {path.name for path in ring.directory.iterdir() if not path.name.startswith(".")}
    assert files == {"keys.json", f"{new_key_id}.key"}
    restarted = SigningKeyRing(ring.directory, clock=clock)
    assert restarted.current_key_id == new_key_id
    assert {key.key_id for key in restarted.public_keys().keys} == {old_key_id, new_key_id}
    assert _verify(restarted.sign(make_claims(device.device_id)), ring, device).key_id == new_key_id


def test_a_second_server_process_notices_a_rotation(ring, device, clock):
    other_worker = SigningKeyRing(ring.directory, clock=clock)

    new_key_id = ring.rotate()

    token = other_worker.sign(make_claims(device.device_id))
    assert _verify(token, ring, device).key_id == new_key_id


def test_key_files_are_readable_by_their_owner_only(ring):
    ring.rotate()

    assert stat.S_IMODE(ring.directory.stat().st_mode) == 0o700
    for path in ring.directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_key_file_opened_up_to_others_is_closed_again_on_load(ring, clock, caplog):
    key_file = ring.directory / f"{ring.current_key_id}.key"
    key_file.chmod(0o644)
    ring.directory.chmod(0o755)

    SigningKeyRing(ring.directory, clock=clock)

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(ring.directory.stat().st_mode) == 0o700
    assert "readable by others" in caplog.text


def test_a_damaged_key_ring_fails_loudly(ring, clock):
    (ring.directory / "keys.json").write_text("{not json")

    with pytest.raises(errors.SigningKeyError):
        SigningKeyRing(ring.directory, clock=clock)
