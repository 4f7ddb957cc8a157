"""Entitlements the server signs, checked by the assistant's gate: a changed, expired or
other computer's token unlocks nothing; a key rotation keeps unexpired tokens valid, and
the assistant trusts the new key only because the key its build pins endorsed it."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import select

from agent_portal.audit.models import AuditEntry
from agent_portal.cli import main as agent_portal
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from assistant.premium.errors import ServerNotTrusted
from assistant.premium.gate import PremiumGate
from isp_common.assistant_build import BuildConfig
from isp_common.entitlements import PublishedKeys, verify_entitlement
from isp_common.errors import BadSignature, EntitlementError, TokenExpired, WrongDevice
from tests.support.premium_portal import PASSWORD, provision


@pytest.fixture
def laptop(api, assistants):
    provision(api, "K-100234", tier="premium")
    laptop = assistants("laptop")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    return laptop


def changed_byte(token: str) -> str:
    """The token with one byte of its claims changed, still JSON (a letter of a feature
    id), so only the signature can tell: whatever the claims hold, the test is the same."""
    payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    where = claims.index(b'"cleanup"') + 1
    claims = claims[:where] + b"C" + claims[where + 1 :]
    return f"{base64.urlsafe_b64encode(claims).rstrip(b'=').decode()}.{signature}"


def fresh_gate(laptop, **options) -> PremiumGate:
    keys = laptop.client.fetch_keys()
    return PremiumGate(device_id=laptop.device_key.device_id, keys=keys, **options)


def test_a_token_with_one_changed_byte_unlocks_nothing(laptop, agent):
    grant = laptop.client.redeem(agent.issue_code("K-100234"))
    gate = fresh_gate(laptop)

    with pytest.raises(BadSignature):
        gate.start_session(changed_byte(grant.token))
    with pytest.raises(EntitlementError):
        gate.set_subscription(
            changed_byte(laptop.client.refresh().subscription.token), refreshed_at=utcnow()
        )
    assert not gate.allows("cleanup")
    gate.start_session(grant.token)  # the token as signed works
    assert gate.allows("cleanup")


def test_an_expired_token_unlocks_nothing(laptop, agent):
    grant = laptop.client.redeem(agent.issue_code("K-100234"))
    assert grant.expires_at <= utcnow() + timedelta(hours=8)
    nine_hours_on = fresh_gate(laptop, clock=lambda: utcnow() + timedelta(hours=9))

    with pytest.raises(TokenExpired):
        nine_hours_on.start_session(grant.token)
    assert not nine_hours_on.allows("cleanup")


def test_another_computers_token_unlocks_nothing(laptop, agent, api, assistants):
    grant = laptop.client.redeem(agent.issue_code("K-100234"))
    desktop = assistants("desktop")
    desktop.sign_in("K-100234", password=PASSWORD, device_name="Desktop")
    desktop.gate.clear_subscription()  # only the laptop's token is left to try

    with pytest.raises(WrongDevice):
        desktop.gate.start_session(grant.token)
    assert not desktop.gate.allows("cleanup")


def build_config_from_the_command_line(portal, settings, monkeypatch, capsys) -> BuildConfig:
    """What the ISP ships its assistant with: `agent-portal assistant-build-config`."""
    monkeypatch.setenv("PORTAL_DATA_DIR", str(settings.data_dir))
    assert agent_portal(["assistant-build-config", "--server", portal.url]) == 0
    return BuildConfig.model_validate_json(capsys.readouterr().out)


def test_after_a_rotation_the_assistant_trusts_the_new_key_through_the_pinned_one(
    portal, api, agent, assistants, settings, monkeypatch, capsys, http
):
    build = build_config_from_the_command_line(portal, settings, monkeypatch, capsys)
    [pinned] = build.trusted_keys
    assert build.servers == (portal.url,)
    provision(api, "K-100234", tier="premium")
    laptop = assistants("laptop", build=build)
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    old_token = laptop.client.refresh().subscription.token

    assert agent_portal(["rotate-signing-key"]) == 0

    printed = capsys.readouterr().out
    keys = PublishedKeys.model_validate(http.get("/api/v1/entitlements/keys").json())
    assert (
        keys.current_key_id != pinned.key_id and f"New signing key {keys.current_key_id}" in printed
    )
    new_key = next(key for key in keys.keys if key.key_id == keys.current_key_id)
    assert new_key.endorsement.signed_by == pinned.key_id
    retired = {key.key_id: key.retired_at for key in keys.keys}
    assert retired[pinned.key_id] is not None and retired[keys.current_key_id] is None
    claims = verify_entitlement(
        old_token,
        keys.verification_keys(utcnow()),
        device_id=laptop.device_key.device_id,
        now=utcnow(),
    )
    assert claims.key_id == pinned.key_id
    # The running server signs with the new key at once; the assistant, which knew only
    # the pinned key, takes the new one because the pinned one endorsed it.
    status = laptop.unlock_with_code(agent.issue_code("K-100234"))
    assert status.session_active and laptop.gate.allows("cleanup")
    refreshed = laptop.refresh()
    assert refreshed.notice is None and refreshed.last_refresh_failure is None
    assert refreshed.tier == "premium"
    assert laptop.gate.require("cleanup").key_id == keys.current_key_id


def test_an_assistant_built_for_another_server_sends_it_no_password(
    portal, api, assistants, db_session, tmp_path
):
    provision(api, "K-100234", tier="premium")
    elsewhere = ServerKeys(tmp_path / "another-server-keys")
    build = assistant_build_config(keys=elsewhere, servers=[portal.url])
    laptop = assistants("laptop", build=build)

    with pytest.raises(ServerNotTrusted):
        laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")

    assert not laptop.status().linked and laptop.status().tier == "none"
    assert db_session.scalars(select(Device)).all() == []
    events = set(db_session.scalars(select(AuditEntry.event)))
    assert events == {"password_set"}  # the back end's; no sign-in ever reached the server
