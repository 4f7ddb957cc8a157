"""Arranging ratings: paid sessions as the meter leaves them (ended, with start and end,
billed seconds, amount, waiver, currency and topic), between a customer and an approved
expert; the service's rules with the default reveal deadline; requests signed by a
customer's device; a portal world with an expert, two customers and their computers."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from agent_portal.chat import service as chat
from agent_portal.database import utcnow
from agent_portal.experts.models import ExpertCategory, ExpertProfile
from agent_portal.paid_sessions.models import PaidSession
from agent_portal.session_ratings import service
from isp_common.live_wire import Topic
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.expert_desk.support import approved_expert, category_id
from tests.agent_portal.expert_search.search_data import add_category, add_expert
from tests.support.portal_data import add_customer

RULES = service.Rules()
ENDED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@dataclass
class Scene:
    customer: object
    other_customer: object
    expert: ExpertProfile
    wifi: ExpertCategory
    printers: ExpertCategory


def scene(db_session: Session) -> Scene:
    wifi = add_category(db_session, "WLAN", "Wi-Fi")
    printers = add_category(db_session, "Drucker", "Printers")
    expert = add_expert(db_session, "Mira Keller", categories=[wifi, printers])
    return Scene(
        customer=add_customer(db_session, "K-100234"),
        other_customer=add_customer(db_session, "K-100235", name="Max Muster"),
        expert=expert,
        wifi=wifi,
        printers=printers,
    )


def paid_session(
    db_session: Session,
    customer,
    expert: ExpertProfile,
    *,
    category: ExpertCategory | None = None,
    ended_at: datetime = ENDED,
    billed_seconds: int = 1800,
    amount: int = 4500,
    waived: int = 0,
    status: str = "ended",
    currency: str = "CHF",
) -> PaidSession:
    conversation = chat.start_conversation(
        db_session=db_session,
        customer_id=customer.id,
        device_id=None,
        topic=Topic.wifi,
        client_msg_id=uuid.uuid4().hex,
        text="Mein WLAN bricht abends ab.",
        now=ended_at - timedelta(hours=1),
    ).conversation
    session = PaidSession(
        conversation_id=conversation.id,
        customer_id=customer.id,
        expert_staff_id=expert.staff_id,
        expert_profile_id=expert.id,
        category_id=category.id if category else None,
        terms="per_minute",
        price=150,
        currency=currency,
        billing_rule="second",
        status=status,
        proposed_by="expert",
        created_at=ended_at - timedelta(seconds=billed_seconds + 60),
        started_at=ended_at - timedelta(seconds=billed_seconds),
        ended_at=ended_at if status == "ended" else None,
        billed_seconds=billed_seconds,
        amount=amount,
        waived=waived,
    )
    db_session.add(session)
    db_session.commit()
    return session


def signed(http: httpx.Client, key, method: str, target: str, body=None, **headers):
    content = json.dumps(body).encode() if body is not None else b""
    signature = device_request_headers(
        sign=key.sign,
        device_id=key.device_id,
        method=method,
        target=target.encode(),
        body=content,
        timestamp=int(time.time()),
    )
    if body is not None:
        signature["Content-Type"] = "application/json"
    return http.request(method, target, content=content, headers={**signature, **headers})


class Arranged:
    def __init__(self, world, *, devices: bool = True):
        """`devices=False`: the customers link no computer (the real assistant will)."""
        self.world = world
        windows = category_id(world, "Windows")
        self.expert = approved_expert(world, "mira", "Mira Keller", categories=[windows])
        self.customer = world.customer("K-100234")
        self.neighbour = world.customer("K-100235", name="Max Muster", email="max@example.de")
        if devices:
            self.device, self.key = world.device(self.customer)
            _device, self.neighbour_key = world.device(self.neighbour, name="Max-PC")
        self.windows = windows

    def session(self, customer=None, *, ended_ago=timedelta(hours=1), **fields):
        with self.world.session() as db_session:
            profile = db_session.get(ExpertProfile, self.expert.expert_id)
            category = db_session.get(ExpertCategory, self.windows)
            found = paid_session(
                db_session,
                customer or self.customer,
                profile,
                category=category,
                ended_at=utcnow() - ended_ago,
                **fields,
            )
            return found.id

    def expert_rates(self, session_id: int, stars: int = 4, text: str = "Angenehm") -> None:
        with self.world.session() as db_session:
            service.rate(
                db_session,
                session_id=session_id,
                side=service.EXPERT,
                person_id=self.expert.id,
                stars=stars,
                text=text,
                now=utcnow(),
                rules=service.Rules(),
            )
            db_session.commit()
