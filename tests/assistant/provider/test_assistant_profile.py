"""The assistant takes the provider profile only as its build trusts it: signed by a key
the build pins (or one that key endorsed), verified again whenever the kept copy is read.
A copy someone edited, a server with another key, a server that cannot be reached: the
checks keep the last good profile, or without one the values set on the computer and the
built-in defaults, as an assistant without any server always had.

The assistant's real profile service against the real portal on loopback (both databases).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from agent_portal.app import create_app
from agent_portal.config import PortalSettings
from agent_portal.entitlements.service import assistant_build_config
from agent_portal.provider.settings import ProviderSettings
from assistant.i18n import translator
from assistant.local_api.provider_api import _summary
from assistant.provider.overlay import ValueSource
from assistant.provider.service import ProviderProfiles
from assistant.provider.store import FILE_NAME
from tests.support.live_server import LiveServer
from tests.support.premium_portal import unreachable_url
from tests.support.provider_fixtures import HOTLINE

DEFAULT_ENDPOINTS = ["1.1.1.1:443", "9.9.9.9:443"]


@pytest.fixture
def build(keys, portal):
    """The ISP's build of the assistant for this portal: its address and key pinned."""
    return assistant_build_config(keys=keys, servers=[portal.url])


@pytest.fixture
def computer(tmp_path) -> Path:
    return tmp_path / "computer"


@pytest.fixture(autouse=True)
def nothing_set_on_the_computer(monkeypatch):
    for name in ("MAIL_SERVERS", "INTERNET_ENDPOINTS", "DNS_TEST_NAMES", "MODEM_URL"):
        monkeypatch.delenv(f"ISP_ASSISTANT_{name}", raising=False)


@pytest.fixture
def start_portal(tmp_path, database_url):
    """`start_portal(name, provider)`: another portal on loopback, with keys of its own."""
    started = []

    def start(name: str, provider: ProviderSettings):
        settings = PortalSettings(
            _env_file=None,
            database_url=database_url,
            data_dir=tmp_path / name,
            provider=provider,
        )
        app = create_app(settings)
        started.append((app, LiveServer(app).start()))
        return started[-1]

    yield start
    for app, server in started:
        server.stop()
        app.state.engine.dispose()


@pytest.fixture
def other_portal(start_portal):
    """Another server answering with a profile: its own keys, which no build pins."""
    provider = ProviderSettings(
        _env_file=None,
        name="Someone Else",
        mail_servers=[{"protocol": "smtp", "host": "smtp.attacker.test"}],
    )
    return start_portal("other-portal", provider)[1]


def test_a_verified_profile_is_used_kept_and_read_again_at_the_next_start(
    portal, build, computer, mail_server, internet
):
    profiles = ProviderProfiles(computer, build)
    assert profiles.refresh(portal.url) is True

    settings = profiles.diagnostics_settings()
    assert settings.mail_servers == [mail_server.server]
    assert settings.internet_endpoints == [f"127.0.0.1:{internet.port}"]
    assert set(profiles.value_sources().values()) == {ValueSource.PROVIDER}
    assert profiles.status().profile.hotline_phone == HOTLINE
    assert profiles.refresh(portal.url) is False  # unchanged: 304, nothing new

    next_start = ProviderProfiles(computer, build)
    assert next_start.load_stored() == profiles.status().profile
    assert next_start.diagnostics_settings().mail_servers == [mail_server.server]


def test_an_edited_copy_in_the_data_folder_counts_for_nothing(portal, build, computer):
    ProviderProfiles(computer, build).refresh(portal.url)
    kept = computer / FILE_NAME
    stored = json.loads(kept.read_text())
    part = stored["signed"]["profile"]
    content = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    content["mail_servers"] = [{"protocol": "smtp", "host": "smtp.attacker.test", "port": 25}]
    changed = json.dumps(content).encode()
    stored["signed"]["profile"] = base64.urlsafe_b64encode(changed).rstrip(b"=").decode()
    kept.write_text(json.dumps(stored))

    next_start = ProviderProfiles(computer, build)
    assert next_start.load_stored() is None
    settings = next_start.diagnostics_settings()
    assert settings.mail_servers == []  # the check says it cannot check, as before
    assert settings.internet_endpoints == DEFAULT_ENDPOINTS
    assert set(next_start.value_sources().values()) == {ValueSource.DEFAULT}


def test_a_server_whose_key_the_build_does_not_pin_is_not_believed(other_portal, build, computer):
    profiles = ProviderProfiles(computer, build)

    assert profiles.refresh(other_portal.url) is False
    status = profiles.status()
    assert status.profile is None
    assert status.failure.code == "server_not_trusted"
    assert profiles.diagnostics_settings().mail_servers == []
    assert not (computer / FILE_NAME).exists()


def test_the_last_good_profile_stays_when_later_answers_fail(
    portal, other_portal, build, computer, mail_server
):
    profiles = ProviderProfiles(computer, build)
    profiles.refresh(portal.url)

    for server_url, failure in [
        (unreachable_url(), "server_unreachable"),
        (other_portal.url, "server_not_trusted"),
    ]:
        assert profiles.refresh(server_url) is False
        assert profiles.status().failure.code == failure
        assert profiles.diagnostics_settings().mail_servers == [mail_server.server]
    assert ProviderProfiles(computer, build).load_stored().name == "Example ISP"

    profiles.refresh(portal.url)
    assert profiles.status().failure is None


def test_a_profile_of_a_rotated_key_is_taken_through_the_endorsement(portal, keys, build, computer):
    profiles = ProviderProfiles(computer, build)
    profiles.refresh(portal.url)
    keys.signing.rotate()

    profiles.refresh(portal.url)  # the new key is fetched and followed from the pinned one
    assert profiles.status().failure is None
    kept = json.loads((computer / FILE_NAME).read_text())
    assert kept["signed"]["key_id"] == keys.signing.current_key_id
    assert ProviderProfiles(computer, build).load_stored().name == "Example ISP"


def test_values_set_on_this_computer_win_over_the_profile(portal, build, computer, monkeypatch):
    monkeypatch.setenv("ISP_ASSISTANT_INTERNET_ENDPOINTS", '["127.0.0.1:9"]')
    profiles = ProviderProfiles(computer, build)
    profiles.refresh(portal.url)

    assert profiles.diagnostics_settings().internet_endpoints == ["127.0.0.1:9"]
    sources = profiles.value_sources()
    assert sources["internet_endpoints"] is ValueSource.COMPUTER
    assert sources["mail_servers"] is ValueSource.PROVIDER


def test_without_a_server_the_checks_run_on_the_builds_defaults(computer, build):
    profiles = ProviderProfiles(computer, build)

    assert profiles.refresh(None) is False
    assert profiles.status().failure is None
    assert profiles.diagnostics_settings().internet_endpoints == DEFAULT_ENDPOINTS


def test_a_server_without_provider_settings_changes_nothing(start_portal, computer):
    app, server = start_portal("plain-portal", ProviderSettings(_env_file=None))
    build = assistant_build_config(keys=app.state.server_keys, servers=[server.url])
    profiles = ProviderProfiles(computer, build)

    assert profiles.refresh(server.url) is True  # a genuine profile, naming nothing
    assert profiles.diagnostics_settings().internet_endpoints == DEFAULT_ENDPOINTS
    assert set(profiles.value_sources().values()) == {ValueSource.DEFAULT}
    token = translator.language.set("en")
    try:
        summary = _summary(profiles, server.url)
    finally:
        translator.language.reset(token)
    assert summary.startswith("Your provider's settings name no test addresses")
