"""Arranging appointments: an approved expert with an e-mail address, a customer's
pre-chat with them, the service's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agent_portal.appointments import service
from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
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


def csrf(world, client) -> str:
    """The CSRF token of the portal session `client` holds."""
    with world.session() as db_session:
        return auth_service.get_session_by_token(
            db_session=db_session, token=client.cookies.get(SESSION_COOKIE), now=utcnow()
        ).csrf_token


def form(world, client, chat, **changes) -> dict:
    """The expert's proposal form: 14:00 in Zurich in three days, 30 minutes, 45.50."""
    day = (date.today() + timedelta(days=3)).isoformat()
    return {
        "csrf_token": csrf(world, client),
        "conversation_id": str(chat.conversation_id),
        "day": day,
        "start_time": "14:00",
        "time_zone": "Europe/Zurich",
        "duration_minutes": "30",
        "terms": "fixed",
        "price": "45.50",
        **changes,
    }


def propose_fixed(db_session, chat: Prechat, start: datetime):
    """The expert's proposal in the pre-chat: 45 minutes at a fixed CHF 60.00, the start
    given in UTC and proposed in Zurich's time; flushed, not committed."""
    return service.propose(
        db_session=db_session,
        conversation_id=chat.conversation_id,
        staff_id=chat.expert.id,
        local_start=start.astimezone(ZoneInfo("Europe/Zurich")).replace(tzinfo=None),
        time_zone="Europe/Zurich",
        duration_minutes=45,
        terms="fixed",
        price=6_000,
        now=utcnow(),
        rules=RULES,
    )
