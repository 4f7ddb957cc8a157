"""A customer disputes one of their ended paid sessions from their assistant (a signed
request of a linked device); an admin resolves it once. Another customer's session, a
session not ended and a dispute without a reason are refused and store nothing."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from agent_portal.audit.service import Actor
from agent_portal.billing import service
from agent_portal.billing.errors import DisputeInvalid, DisputeResolved, PaidSessionNotFound
from agent_portal.billing.models import BillingDispute
from agent_portal.customers.models import Customer
from agent_portal.database import utcnow
from isp_common.premium_wire import device_request_headers
from tests.support import paid_money
from tests.support.portal_data import database_session
from tests.support.premium_portal import (  # noqa: F401 - fixtures used by name
    PASSWORD,
    api,
    assistants,
    keys,
    provision,
)

ADMIN = Actor("staff", "Ada Admin", 1)


def _disputes(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(BillingDispute))


def test_a_dispute_is_raised_once_and_resolved_once(sessions, people):
    with sessions() as db_session:
        paid = paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=900
        )
        first = service.raise_dispute(
            db_session=db_session,
            session_id=paid.id,
            customer_id=people.customer_id,
            device_id=None,
            reason="Der Experte war nach zwei Minuten weg.",
            now=utcnow(),
        )
        again = service.raise_dispute(
            db_session=db_session,
            session_id=paid.id,
            customer_id=people.customer_id,
            device_id=None,
            reason="Noch einmal",
            now=utcnow(),
        )
        assert again.id == first.id and again.reason.startswith("Der Experte")
        db_session.commit()
        money = service.session_detail(db_session=db_session, session_id=paid.id)
        assert money.dispute.id == first.id
        waiting, _total = service.session_money(
            db_session=db_session, filters=service.Filters(disputed_only=True)
        )
        assert [item.paid.id for item in waiting] == [paid.id]

        with pytest.raises(DisputeInvalid):
            service.resolve_dispute(
                db_session=db_session,
                session_id=paid.id,
                resolution="maybe",
                note="",
                actor=ADMIN,
                now=utcnow(),
            )
        decided = service.resolve_dispute(
            db_session=db_session,
            session_id=paid.id,
            resolution="rejected",
            note="Die Sitzung lief zehn Minuten.",
            actor=ADMIN,
            now=utcnow(),
        )
        db_session.commit()
        assert decided.resolution == "rejected" and decided.resolved_at is not None
        with pytest.raises(DisputeResolved):
            service.resolve_dispute(
                db_session=db_session,
                session_id=paid.id,
                resolution="refunded",
                note="",
                actor=ADMIN,
                now=utcnow(),
            )
        assert service.open_dispute_count(db_session=db_session) == 0


def test_what_a_customer_cannot_dispute(sessions, people):
    with sessions() as db_session:
        other = paid_money.customer(db_session, "K-999888")
        paid = paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=900
        )
        running = paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=100
        )
        running.status = "running"
        db_session.flush()
        for session_id, customer_id in ((paid.id, other.id), (running.id, people.customer_id)):
            with pytest.raises(PaidSessionNotFound):
                service.raise_dispute(
                    db_session=db_session,
                    session_id=session_id,
                    customer_id=customer_id,
                    device_id=None,
                    reason="Zu teuer",
                    now=utcnow(),
                )
        with pytest.raises(DisputeInvalid):
            service.raise_dispute(
                db_session=db_session,
                session_id=paid.id,
                customer_id=people.customer_id,
                device_id=None,
                reason="  ",
                now=utcnow(),
            )
        with pytest.raises(DisputeInvalid) as none_raised:
            service.resolve_dispute(
                db_session=db_session,
                session_id=paid.id,
                resolution="rejected",
                note="",
                actor=ADMIN,
                now=utcnow(),
            )
        assert none_raised.value.in_language("de") == (
            "Gegen diese Sitzung wurde kein Einspruch erhoben."
        )
        assert _disputes(db_session) == 0


def test_the_assistant_disputes_its_customers_session(http, api, assistants, database_url):  # noqa: F811
    provision(api, "K-300100")
    laptop = assistants()
    laptop.sign_in("K-300100", password=PASSWORD, device_name="Laptop")
    key = laptop.device_key
    for db_session in database_session(database_url):
        customer_id = db_session.scalar(
            select(Customer.id).where(Customer.account_number == "K-300100")
        )
        expert = paid_money.expert(db_session)
        stranger = paid_money.customer(db_session, "K-999888")
        mine = paid_money.ended_session(
            db_session, customer_id=customer_id, expert=expert, amount=1500
        ).id
        theirs = paid_money.ended_session(
            db_session, customer_id=stranger.id, expert=expert, amount=1500
        ).id
        db_session.commit()

    def send(session_id: int, body: dict):
        path = f"/api/v1/billing/sessions/{session_id}/dispute"
        raw = json.dumps(body).encode()
        signed = device_request_headers(
            sign=key.sign,
            device_id=key.device_id,
            method="POST",
            target=path.encode(),
            body=raw,
            timestamp=int(time.time()),
        )
        return http.post(path, content=raw, headers={**signed, "Content-Type": "application/json"})

    answer = send(mine, {"reason": "Die Verbindung brach nach zwei Minuten ab."})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "open" and answer.json()["session_id"] == mine
    refused = send(theirs, {"reason": "Nicht meins"})
    assert refused.status_code == 404
    assert refused.json()["code"] == "billing_paid_session_not_found"
    assert send(mine, {"reason": ""}).json()["code"] == "request_invalid"
    unsigned = http.post(f"/api/v1/billing/sessions/{mine}/dispute", json={"reason": "x"})
    assert unsigned.status_code == 401
    for db_session in database_session(database_url):
        assert _disputes(db_session) == 1
