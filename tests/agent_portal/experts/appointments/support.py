"""Arranging appointments: an approved expert with an e-mail address, a customer's
pre-chat with them, the service's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agent_portal.appointments import service
from agent_portal.auth.models import StaffMember
from agent_portal.database import utcnow
from agent_portal.expert_desk import service as desk
from tests.agent_portal.expert_desk.support import approved_expert

RULES = service.Rules(
    min_minutes=15,
    max_minutes=240,
    reminder_minutes=15,
    price_min=1_000,
    price_max=50_000,
    currency="CHF",
    portal_address="support@isp.example",
    staff_language="en",
)
EXPERT_EMAIL = "mira.keller@experts.example"
CUSTOMER_EMAIL = "erika@example.de"


@dataclass
class Prechat:
    conversation_id: int
    customer: object
    expert: object


def prechat(world, *, customer_language="de", customer_email=CUSTOMER_EMAIL) -> Prechat:
    expert = approved_expert(world, "mira", "Mira Keller")
    with world.session() as db_session:
        db_session.get(StaffMember, expert.id).email = EXPERT_EMAIL
        db_session.commit()
    customer = world.customer(
        name="Erika Mustermann", email=customer_email, language=customer_language
    )
    with world.session() as db_session:
        started = desk.start_prechat(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            expert_id=expert.expert_id,
            client_msg_id="first",
            text="Können Sie mir mit meinem NAS helfen?",
            now=utcnow(),
            away_after=timedelta(minutes=5),
        )
        db_session.commit()
        return Prechat(started.conversation.id, customer, expert)
