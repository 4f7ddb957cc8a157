"""The signed provider profile as a wire format: what the server signs verifies exactly as
sent, and nothing else does: not a changed character, not another spelling of the same
bytes, not a key the verifier does not hold, not another document the same key signed."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from isp_common import errors
from isp_common.provider_profile import (
    Endpoint,
    MailServer,
    ProviderProfile,
    SignedProviderProfile,
    sign_profile,
    verify_profile,
)
from isp_common.signing_keys import SigningKeyRing

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@pytest.fixture
def ring(tmp_path) -> SigningKeyRing:
    return SigningKeyRing(tmp_path / "keys", clock=lambda: NOW)


@pytest.fixture
def other_ring(tmp_path) -> SigningKeyRing:
    return SigningKeyRing(tmp_path / "other-keys", clock=lambda: NOW)


def profile(**changes) -> ProviderProfile:
    values = {
        "name": "Example ISP",
        "hotline_phone": "+49 800 123 456",
        "mail_servers": [
            {"protocol": "smtp", "host": "smtp.example-isp.de", "security": "starttls"}
        ],
        "internet_endpoints": [{"host": "speedtest.example-isp.de", "port": 443}],
        "dns_test_names": ["www.example-isp.de"],
        "router": {"address": "192.168.178.1", "admin_page": "http://192.168.178.1/"},
        "issued_at": NOW,
        **changes,
    }
    return ProviderProfile.model_validate(values)


def keys_of(ring: SigningKeyRing):
    return ring.public_keys().verification_keys(NOW)


def test_a_signed_profile_verifies_with_the_signers_key_and_says_what_was_signed(ring):
    signed = sign_profile(profile(), ring.sign_message)
    again = SignedProviderProfile.model_validate_json(signed.model_dump_json())

    verified = verify_profile(again, keys_of(ring))
    assert verified == profile()
    assert signed.key_id == ring.current_key_id
    assert verified.mail_servers[0].port == 587  # SMTP submission with STARTTLS
    assert str(verified.internet_endpoints[0]) == "speedtest.example-isp.de:443"


def test_a_changed_character_anywhere_is_refused(ring):
    signed = sign_profile(profile(), ring.sign_message)
    for field in ("profile", "signature"):
        text = getattr(signed, field)
        for position in (0, len(text) // 2, len(text) - 1):
            swapped = "A" if text[position] != "A" else "B"
            changed = text[:position] + swapped + text[position + 1 :]
            forged = signed.model_copy(update={field: changed})
            with pytest.raises(errors.ProfileRefused):
                verify_profile(forged, keys_of(ring))


def test_a_profile_pointing_the_mail_check_elsewhere_fails_its_signature(ring):
    signed = sign_profile(profile(), ring.sign_message)
    content = base64.urlsafe_b64decode(signed.profile + "=" * (-len(signed.profile) % 4))
    elsewhere = content.replace(b"smtp.example-isp.de", b"smtp.attacker.test")
    part = base64.urlsafe_b64encode(elsewhere).rstrip(b"=").decode()
    with pytest.raises(errors.ProfileSignatureInvalid):
        verify_profile(signed.model_copy(update={"profile": part}), keys_of(ring))


def test_a_profile_of_a_key_the_verifier_does_not_hold_is_refused(ring, other_ring):
    signed = sign_profile(profile(), other_ring.sign_message)
    with pytest.raises(errors.ProfileKeyUnknown):
        verify_profile(signed, keys_of(ring))
    # Naming a key the verifier holds does not help: the signature is another key's.
    posing = signed.model_copy(update={"key_id": ring.current_key_id})
    with pytest.raises(errors.ProfileSignatureInvalid):
        verify_profile(posing, keys_of(ring))


def test_another_spelling_of_the_same_bytes_is_refused(ring):
    signed = sign_profile(profile(), ring.sign_message)
    padded = signed.model_copy(update={"signature": signed.signature + "="})
    with pytest.raises(errors.ProfileMalformed):
        verify_profile(padded, keys_of(ring))


def test_a_signature_made_for_another_document_does_not_pass_as_a_profiles(ring):
    """The same key signs entitlements and endorsements: what it signed for those must
    never verify as a profile, so a profile's message starts with its own prefix."""
    part = base64.urlsafe_b64encode(profile().model_dump_json().encode()).rstrip(b"=").decode()
    key_id, bare = ring.sign_message(part.encode())  # signed without the profile's prefix
    signature = base64.urlsafe_b64encode(bare).rstrip(b"=").decode()
    signed = SignedProviderProfile(profile=part, key_id=key_id, signature=signature)
    with pytest.raises(errors.ProfileSignatureInvalid):
        verify_profile(signed, keys_of(ring))


def test_a_genuine_profile_of_a_newer_version_is_refused_not_misread(ring):
    newer = ProviderProfile.model_construct(**{**profile().__dict__, "version": 2})
    signed = sign_profile(newer, ring.sign_message)
    with pytest.raises(errors.ProfileMalformed, match="newer than this software"):
        verify_profile(signed, keys_of(ring))


@pytest.mark.parametrize(
    "text", ["speedtest.example-isp.de", "http://speedtest.example-isp.de:443", "::1:443", "a b:1"]
)
def test_an_endpoint_is_a_host_and_a_port(text):
    with pytest.raises(ValueError):
        Endpoint.parse(text)


def test_endpoints_and_mail_servers_read_as_customers_write_them():
    assert str(Endpoint.parse("[2001:db8::1]:443")) == "[2001:db8::1]:443"
    assert Endpoint.parse("192.0.2.1:8443").port == 8443
    assert MailServer(protocol="imap", host="imap.example-isp.de").port == 993
    with pytest.raises(ValidationError, match="not a host name"):
        MailServer(protocol="smtp", host="smtp.example-isp.de/evil")
