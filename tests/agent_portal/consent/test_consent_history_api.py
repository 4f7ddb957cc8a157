"""The assistant reads what its customer shared, and with whom (`GET /api/v1/consents`,
signed by a linked device): every request to any of the customer's devices, newest first,
with who asked and why, the customer's choice and each step with its time and actor;
nothing of another customer's; an unsigned request learns nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import httpx

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import service
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from isp_common.consent_wire import CONSENT_HISTORY_PATH, ConsentHistory, EndReason
from isp_common.premium_wire import device_request_headers
from tests.support.portal_data import TLS_CHECK


def signed_get(http, key, target: str):
    headers = device_request_headers(
        sign=key.sign,
        device_id=key.device_id,
        method="GET",
        target=target.encode(),
        body=b"",
        timestamp=int(time.time()),
    )
    return http.get(target, headers=headers)


def test_the_assistant_reads_its_customers_record_with_whom_and_when(http, world):
    customer = world.customer()
    laptop, laptop_key = world.device(customer, name="Laptop")
    desktop, _key = world.device(customer, name="Wohnzimmer-PC")
    stranger, stranger_key = world.device(world.customer("K-999999"), name="Fremder-PC")
    anna = world.staff("anna.berger", name="Anna Berger")
    start = utcnow() - timedelta(minutes=5)
    with world.session() as db_session:
        staff = db_session.get(StaffMember, anna.id)

        def ask(kind, device_id, at, parent_id=None):
            return service.ask(
                db_session=db_session,
                kind=kind,
                device=db_session.get(Device, device_id),
                staff=staff,
                now=at,
                answer_within=timedelta(seconds=60),
                lasts=None,
                reason="Router-Seite ansehen" if kind == "screen_view" else "",
                parent_id=parent_id,
            )

        view = ask("screen_view", desktop.id, start)
        service.answer(
            db_session=db_session,
            consent_id=view.id,
            device_id=desktop.id,
            granted=True,
            choice="window",
            now=start + timedelta(seconds=5),
        )
        control = ask("control", desktop.id, start + timedelta(seconds=10), parent_id=view.id)
        service.answer(
            db_session=db_session,
            consent_id=control.id,
            device_id=desktop.id,
            granted=True,
            now=start + timedelta(seconds=12),
        )
        service.revoke(
            db_session=db_session,
            consent_id=view.id,
            device_id=desktop.id,
            now=start + timedelta(seconds=30),
        )
        ask("report", stranger.id, start)  # another customer's
        db_session.commit()

    response = signed_get(http, laptop_key, CONSENT_HISTORY_PATH)
    assert response.status_code == 200, response.text
    history = ConsentHistory.model_validate(response.json())
    assert [(c.kind, c.status, c.device_name) for c in history.consents] == [
        ("control", "ended", "Wohnzimmer-PC"),
        ("screen_view", "revoked", "Wohnzimmer-PC"),
    ]
    control_entry, view_entry = history.consents
    assert (view_entry.requester_name, view_entry.reason, view_entry.choice) == (
        "Anna Berger",
        "Router-Seite ansehen",
        "window",
    )
    assert view_entry.requester_role == "agent"  # worded "from your provider's hotline"
    assert control_entry.parent_id == view_entry.consent_id
    assert control_entry.end_reason == "parent_closed"
    assert [(s.event, s.actor_kind, s.actor_name, s.detail) for s in view_entry.steps] == [
        ("asked", "staff", "Anna Berger", None),
        ("granted", "device", "Wohnzimmer-PC", "window"),
        ("revoked", "device", "Wohnzimmer-PC", None),
    ]
    assert view_entry.steps[1].at - view_entry.asked_at == timedelta(seconds=5)

    theirs = ConsentHistory.model_validate(
        signed_get(http, stranger_key, f"{CONSENT_HISTORY_PATH}?limit=5").json()
    )
    assert [c.kind for c in theirs.consents] == ["report"]
    assert http.get(CONSENT_HISTORY_PATH).status_code == 401
    assert signed_get(http, laptop_key, f"{CONSENT_HISTORY_PATH}?limit=0").status_code == 422


def test_the_customer_page_says_who_withdrew_a_request_by_the_askers_role(portal, world):
    """An expert who withdraws their own screen request is no hotline agent: the
    customer's page says "ended by the expert" for theirs and "by the agent" for the
    agent's, in the status and in the request's steps."""
    customer = world.customer()
    device, _key = world.device(customer, name="Laptop")
    anna = world.staff("anna.berger", name="Anna Berger")
    eva = world.staff("eva.keller", role="expert", name="Eva Keller")
    now = utcnow()
    with world.session() as db_session:
        for member in (anna, eva):
            staff = db_session.get(StaffMember, member.id)
            asked = service.ask(
                db_session=db_session,
                kind="screen_view",
                device=db_session.get(Device, device.id),
                staff=staff,
                now=now,
                answer_within=timedelta(seconds=60),
                lasts=None,
                reason="Router-Seite ansehen",
                parent_id=None,
            )
            service.end(
                db_session=db_session,
                consent_id=asked.id,
                reason=EndReason.withdrawn,
                actor=Actor.staff(staff),
                now=now,
            )
        db_session.commit()
    with httpx.Client(
        verify=TLS_CHECK,
        base_url=portal.url,
        headers={"Cookie": f"portal_session={anna.token}", "Accept-Language": "en"},
        timeout=30,
    ) as web:
        page = web.get(f"/portal/customers/{customer.account_number}").text
    statuses = re.findall(r'data-testid="request-status">([^<]+)<', page)
    assert sorted(statuses) == ["Ended by the agent", "Ended by the expert"]
    assert 'ended by the expert <span class="muted">(Eva Keller)' in page
    assert 'ended by the agent <span class="muted">(Anna Berger)' in page
