"""The portal publishes the ISP's provider profile from its settings, signed by its current
signing key, at an open address, with an ETag so an assistant whose copy is current gets a
304; a key rotation reaches the assistants at their next request."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import ValidationError

from agent_portal.provider.settings import ProviderSettings
from isp_common.entitlements import PublishedKeys
from isp_common.key_chain import PinnedKey, follow_chain
from isp_common.premium_wire import KEYS_PATH
from isp_common.provider_profile import (
    PROVIDER_PROFILE_PATH,
    SignedProviderProfile,
    verify_profile,
)
from tests.support.provider_fixtures import HOTLINE


def published_keys(http: httpx.Client) -> PublishedKeys:
    return PublishedKeys.model_validate_json(http.get(KEYS_PATH).content)


def test_the_portal_serves_its_profile_signed_by_its_current_key(http, keys, mail_server):
    answer = http.get(PROVIDER_PROFILE_PATH)  # no API key, no device: it is public

    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-cache"
    signed = SignedProviderProfile.model_validate_json(answer.content)
    assert signed.key_id == keys.signing.current_key_id
    profile = verify_profile(signed, published_keys(http).verification_keys(datetime.now(UTC)))
    assert (profile.name, profile.hotline_phone) == ("Example ISP", HOTLINE)
    assert profile.mail_servers == (mail_server.server,)
    assert [str(endpoint) for endpoint in profile.internet_endpoints][0].startswith("127.0.0.1:")
    assert profile.dns_test_names == ("localhost",)
    assert profile.router.address == "127.0.0.1"


def test_a_current_copy_is_answered_304_and_a_rotation_changes_the_etag(http, keys):
    first = http.get(PROVIDER_PROFILE_PATH)
    pinned = [PinnedKey.of(published_keys(http).keys[0])]

    unchanged = http.get(PROVIDER_PROFILE_PATH, headers={"If-None-Match": first.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == first.headers["etag"]

    keys.signing.rotate()
    rotated = http.get(PROVIDER_PROFILE_PATH, headers={"If-None-Match": first.headers["etag"]})
    assert rotated.status_code == 200
    assert rotated.headers["etag"] != first.headers["etag"]
    signed = SignedProviderProfile.model_validate_json(rotated.content)
    assert signed.key_id == keys.signing.current_key_id
    # An assistant that pinned the first key follows the endorsement to the new one.
    trusted = follow_chain(published_keys(http), pinned).verification_keys(datetime.now(UTC))
    assert verify_profile(signed, trusted).name == "Example ISP"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("internet_endpoints", ["speedtest.example-isp.de"]),
        ("mail_servers", [{"protocol": "smtp", "host": "smtp example"}]),
        ("router_admin_page", "fritz.box"),
        ("hotline_phone", "call us"),
    ],
)
def test_a_wrong_provider_setting_stops_the_server_naming_it(setting, value):
    with pytest.raises(ValidationError) as refused:
        ProviderSettings(_env_file=None, **{setting: value})
    assert setting in str(refused.value)


def test_provider_settings_come_from_portal_provider_variables(monkeypatch):
    monkeypatch.setenv("PORTAL_PROVIDER_NAME", "Example ISP")
    monkeypatch.setenv("PORTAL_PROVIDER_INTERNET_ENDPOINTS", '["192.0.2.7:443"]')
    monkeypatch.setenv(
        "PORTAL_PROVIDER_MAIL_SERVERS", '[{"protocol": "imap", "host": "imap.example-isp.de"}]'
    )
    settings = ProviderSettings(_env_file=None)
    assert settings.name == "Example ISP"
    assert settings.internet_endpoints == ["192.0.2.7:443"]
    assert settings.mail_servers[0].port == 993
