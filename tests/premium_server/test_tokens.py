"""Entitlements the server signs, checked by the assistant's gate: a changed, expired or
other computer's token unlocks nothing; a key rotation keeps unexpired tokens valid."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.cli import main as agent_portal
from agent_portal.database import utcnow
from assistant.premium.gate import PremiumGate
from isp_common.entitlements import PublishedKeys, verify_entitlement
from isp_common.errors import BadSignature, EntitlementError, TokenExpired, WrongDevice
from tests.premium_server.conftest import PASSWORD, provision


@pytest.fixture
def laptop(api, assistants):
    provision(api, "K-100234", tier="premium")
    laptop = assistants("laptop")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    return laptop


def changed_byte(token: str) -> str:
    payload, signature = token.split(".")
    middle = len(payload) // 2
    replacement = "A" if payload[middle] != "A" else "B"
    return f"{payload[:middle]}{replacement}{payload[middle + 1 :]}.{signature}"


def fresh_gate(laptop, **options) -> PremiumGate:
    keys = laptop.client.fetch_keys()
    return PremiumGate(
        device_id=laptop.device_key.device_id, public_keys=keys.verification_keys(), **options
    )


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


def test_rotating_the_key_keeps_unexpired_tokens_valid(
    laptop, agent, settings, monkeypatch, capsys, http
):
    old_token = laptop.client.refresh().subscription.token
    old_key_id = laptop.client.fetch_keys().current_key_id
    monkeypatch.setenv("PORTAL_DATA_DIR", str(settings.data_dir))

    assert agent_portal(["rotate-signing-key"]) == 0

    printed = capsys.readouterr().out
    keys = PublishedKeys.model_validate(http.get("/api/v1/entitlements/keys").json())
    assert keys.current_key_id != old_key_id and f"New signing key {keys.current_key_id}" in printed
    retired = {key.key_id: key.retired_at for key in keys.keys}
    assert retired[old_key_id] is not None and retired[keys.current_key_id] is None
    claims = verify_entitlement(
        old_token,
        keys.verification_keys(),
        device_id=laptop.device_key.device_id,
        now=utcnow(),
    )
    assert claims.key_id == old_key_id
    # The running server signs with the new key at once; the assistant, which knew only
    # the old key, fetches the new one when a token needs it.
    status = laptop.unlock_with_code(agent.issue_code("K-100234"))
    assert status.session_active and laptop.gate.allows("cleanup")
    assert laptop.client.refresh().subscription.token != old_token
