"""One-time unlock codes between the agent and the assistant, over real HTTP: a code
unlocks one session once; expired, revoked, used and other customers' codes are refused
with clear messages; wrong guesses lock; all on both databases."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from agent_portal.attempts.service import AttemptPolicy
from agent_portal.auth import service as auth_service
from agent_portal.customers import service as customers
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.unlock_codes import service as unlock_codes
from agent_portal.unlock_codes.errors import CodeInvalid
from agent_portal.unlock_codes.errors import TooManyAttempts as ServerTooManyAttempts
from agent_portal.unlock_codes.models import UnlockCode
from assistant.premium.errors import (
    CodeAlreadyUsed,
    CodeExpired,
    CodeFormatInvalid,
    CodeRevoked,
    TooManyAttempts,
)
from assistant.premium.errors import CodeInvalid as AssistantCodeInvalid
from isp_common.entitlements import EntitlementSource
from isp_common.features import Tier
from tests.support.premium_portal import PASSWORD, provision


@pytest.fixture
def erika(api, assistants):
    """Erika, without subscription, signed in on her laptop."""
    provision(api, "K-100234", tier="none")
    laptop = assistants("erika")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    return laptop


def test_a_code_unlocks_premium_for_this_session_once(erika, agent):
    code = agent.issue_code("K-100234")
    assert not erika.gate.allows("cleanup")

    status = erika.unlock_with_code(code)

    assert erika.gate.allows("cleanup")  # at once, no restart
    assert status.session_active and status.tier is Tier.PREMIUM
    assert EntitlementSource.AGENT_CODE in status.sources
    assert status.usable_until <= utcnow() + timedelta(hours=8)
    with pytest.raises(CodeAlreadyUsed) as again:
        erika.unlock_with_code(code)
    assert again.value.server_message.startswith("This code has already been used")
    erika.close()  # the app closes: the session unlock is gone
    assert not erika.gate.allows("cleanup")


def test_an_expired_code_is_refused(erika, keys, db_session):
    customer = customers.get(db_session=db_session, account_number="K-100234")
    staff = auth_service.create_staff(
        db_session=db_session, username="anna", password=PASSWORD, role="agent"
    )
    # The staff member and the code, committed together below.
    issued = unlock_codes.issue(
        db_session=db_session,
        keys=keys,
        customer=customer,
        staff=staff,
        now=utcnow() - timedelta(minutes=20),
        lifetime=timedelta(minutes=15),
    )
    db_session.commit()

    with pytest.raises(CodeExpired) as expired:
        erika.unlock_with_code(issued.readable)

    until = issued.unlock_code.expires_at.strftime("%H:%M UTC")
    assert expired.value.server_message == (
        f"This code expired at {until}. Ask the hotline for a new one."
    )
    assert not erika.gate.allows("cleanup")


def test_a_revoked_code_is_refused(erika, agent):
    code = agent.issue_code("K-100234")
    code_id = re.search(
        r'data-code-id="(\d+)"', agent.client.get("/portal/customers/K-100234").text
    )

    page = agent.post(f"/portal/customers/K-100234/unlock-codes/{code_id.group(1)}/revoke")

    assert "has been revoked: it no longer unlocks anything." in page.text
    with pytest.raises(CodeRevoked) as revoked:
        erika.unlock_with_code(code)
    assert revoked.value.server_message == (
        "This code has been withdrawn by the hotline. Ask for a new one."
    )


def test_another_customers_code_is_refused_and_counted(erika, agent, api):
    provision(api, "K-777888", password=None)
    code = agent.issue_code("K-777888")

    with pytest.raises(AssistantCodeInvalid) as refused:
        erika.unlock_with_code(code)

    assert refused.value.attempts_left == 4
    assert refused.value.server_message.startswith(
        "This code is not valid for your customer account. Check the 8 digits"
    )
    assert not erika.gate.allows("cleanup")


def test_a_typing_slip_is_not_counted(erika, agent):
    code = agent.issue_code("K-100234")
    for slip in ("1234", "1234 567x", "123456789"):
        with pytest.raises(CodeFormatInvalid):
            erika.unlock_with_code(slip)
    assert erika.unlock_with_code(code.replace(" ", "-")).session_active


def test_a_thousand_wrong_guesses_unlock_nothing_and_lock(
    erika, agent, keys, db_session, http, settings
):
    code = agent.issue_code("K-100234")
    device = db_session.scalars(select(Device)).one()
    policy = AttemptPolicy(5, timedelta(minutes=15), timedelta(minutes=15))
    now = utcnow()
    guesses = random.Random(7).sample(range(10**8), 1001)
    wrong = [f"{g:08d}" for g in guesses if f"{g:08d}" != code.replace(" ", "")][:1000]

    outcomes = {"wrong": 0, "locked": 0}
    for guess in wrong:
        try:
            unlock_codes.redeem(
                db_session=db_session,
                keys=keys,
                device=device,
                code=guess,
                address="203.0.113.9",
                now=now,
                policy=policy,
                session_lifetime=timedelta(hours=8),
            )
        except CodeInvalid:
            outcomes["wrong"] += 1
        except ServerTooManyAttempts:
            outcomes["locked"] += 1
    assert outcomes == {"wrong": 4, "locked": 996}  # the fifth wrong guess locks

    # Over HTTP, the customer's assistant is locked too, even with the right code.
    with pytest.raises(TooManyAttempts) as locked:
        erika.unlock_with_code(code)
    assert locked.value.locked_until > utcnow() + timedelta(minutes=10)
    until = locked.value.locked_until.strftime("%H:%M UTC")
    assert f"locked for this customer account, device or address until {until}" in (
        locked.value.server_message
    )
    db_session.expire_all()
    assert db_session.scalars(select(UnlockCode)).one().used_at is None  # still unused
    assert not erika.gate.allows("cleanup")


def test_wrong_codes_over_http_lock_with_a_clear_answer(erika, agent, http, api, assistants):
    agent.issue_code("K-100234")
    for attempts_left in (4, 3, 2, 1):
        with pytest.raises(AssistantCodeInvalid) as wrong:
            erika.unlock_with_code("0000 0000")
        assert wrong.value.attempts_left == attempts_left

    with pytest.raises(TooManyAttempts) as locked:
        erika.unlock_with_code("0000 0001")

    assert locked.value.locked_until > utcnow() + timedelta(minutes=14)
    # The address is locked as well: another customer's computer behind it waits too.
    provision(api, "K-555666", tier="none")
    neighbour = assistants("neighbour")
    neighbour.sign_in("K-555666", password=PASSWORD, device_name="Nachbar-PC")
    with pytest.raises(TooManyAttempts):
        neighbour.unlock_with_code(agent.issue_code("K-555666"))
