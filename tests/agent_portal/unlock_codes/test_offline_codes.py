"""Offline codes: the portal shows an agent a linked computer's code, the assistant accepts
it once without the server, and reports the use at its next connection, into the audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agent_portal.audit.models import AuditEntry
from agent_portal.customers import service as customers
from agent_portal.customers.models import Platform
from agent_portal.database import utcnow
from agent_portal.unlock_codes.models import OfflineCode
from assistant.premium.errors import CodeAlreadyUsed
from isp_common.entitlements import EntitlementSource
from isp_common.offline_codes import OfflineCodeUse
from isp_common.premium_wire import OFFLINE_USES_PATH, OfflineCodeUseReport
from tests.agent_portal.devices.test_device_requests import signed_headers
from tests.support.premium_portal import PASSWORD, provision, shown_code, unreachable_url


@pytest.fixture
def laptop(api, assistants):
    provision(api, "K-100234", tier="none")
    laptop = assistants("laptop")
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    return laptop


def offline_code_page(agent, laptop) -> str:
    device_id = laptop.device_key.device_id
    page = agent.post(f"/portal/customers/K-100234/devices/{device_id}/offline-code")
    assert page.status_code == 200, page.text
    return page.text


def test_an_offline_code_works_once_without_the_server_and_is_reported(
    laptop, agent, assistants, db_session
):
    page = offline_code_page(agent, laptop)
    assert "Customer offline? Read this code for “Erikas Laptop”:" in page
    code = shown_code(page)

    # The customer's internet is down: the same computer, no server to ask.
    offline = assistants("laptop", server_url=unreachable_url())
    offline.on_start()
    status = offline.unlock_with_code(code)

    assert status.online is False and status.session_active
    assert status.sources == (EntitlementSource.OFFLINE_CODE,)
    assert offline.gate.allows("cleanup")
    with pytest.raises(CodeAlreadyUsed):
        offline.unlock_with_code(code)
    assert offline.status().offline_uses_unreported == 1

    # Back online: the next start reports the use.
    online = assistants("laptop")
    assert online.on_start().offline_uses_unreported == 0
    db_session.expire_all()
    [row] = db_session.scalars(select(OfflineCode)).all()
    assert row.shown_by_name == "Anna Berger" and row.used_at is not None
    events = [e.event for e in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert events[-2:] == ["offline_code_shown", "offline_code_used"]
    used = db_session.scalars(select(AuditEntry).where(AuditEntry.event == "offline_code_used"))
    assert used.one().data["shown_by"] == "Anna Berger"


def test_a_report_is_stored_once_and_only_for_the_own_device(laptop, http, db_session, assistants):
    use = OfflineCodeUse(device_id=laptop.device_key.device_id, time_step=1_000, used_at=utcnow())
    assert laptop.client.report_offline_uses([use]) == (use,)
    # The answer got lost: the restarted assistant reports the same use again.
    assert assistants("laptop").client.report_offline_uses([use]) == (use,)

    other = use.model_copy(update={"device_id": "a" * 26})
    body = OfflineCodeUseReport(uses=(other,)).model_dump_json().encode()
    headers = {
        **signed_headers(laptop.device_key, body, path=OFFLINE_USES_PATH),
        "Content-Type": "application/json",
    }
    refused = http.post(OFFLINE_USES_PATH, content=body, headers=headers)

    assert refused.status_code == 422
    assert refused.json()["code"] == "offline_use_other_device"
    assert refused.json()["detail"].endswith("Nothing was stored.")
    db_session.expire_all()
    assert [row.time_step for row in db_session.scalars(select(OfflineCode))] == [1_000]
    used = db_session.scalars(select(AuditEntry).where(AuditEntry.event == "offline_code_used"))
    assert len(used.all()) == 1


def test_a_device_without_offline_secret_gets_a_clear_message(agent, db_session, api):
    provision(api, "K-100234", tier="none", password=None)
    customer = customers.get(db_session=db_session, account_number="K-100234")
    device = customers.add_device(
        db_session=db_session, customer=customer, name="Importierter PC", platform=Platform.LINUX
    )
    db_session.commit()

    page = agent.post(f"/portal/customers/K-100234/devices/{device.id}/offline-code")

    assert page.status_code == 409
    assert "“Importierter PC” has no offline codes: it was not linked through the assistant." in (
        page.text
    )
