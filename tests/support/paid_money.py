"""Ended paid sessions with their real ledger transfers, as the meter leaves them: the
charge authorised and posted with the expert/fee/tax split (or the hold voided when
nothing is charged), the tip on a hold of its own, and the session's row naming both
posts. Helpers flush; the caller commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth import service as auth_service
from agent_portal.chat import service as chat
from agent_portal.customers import service as customers
from agent_portal.customers.schemas import CustomerIn
from agent_portal.experts import service as experts
from agent_portal.experts.models import ExpertCategory
from agent_portal.ledger import service as ledger
from agent_portal.paid_sessions.models import PaidSession
from isp_common.live_wire import Topic
from tests.support.portal_data import STAFF_PASSWORD

FEE_PERCENT = Decimal(20)


@dataclass(frozen=True)
class Expert:
    staff_id: int
    profile_id: int
    category_id: int


def customer(db_session: Session, account_number: str, language: str = "de"):
    body = {
        "name": "Erika Mustermann",
        "email": f"{account_number.lower()}@example.de",
        "language": language,
    }
    found = customers.save(
        db_session=db_session,
        account_number=account_number,
        customer_in=CustomerIn.model_validate(body),
        time_zone="Europe/Berlin",
    ).customer
    db_session.flush()
    return found


def expert(db_session: Session, username: str = "eva.keller", staff=None) -> Expert:
    """An approved expert in the starter category "Windows"."""
    member = staff or auth_service.create_staff(
        db_session=db_session,
        username=username,
        password=STAFF_PASSWORD,
        role="expert",
        display_name=username.replace(".", " ").title(),
    )
    category_id = db_session.scalar(
        select(ExpertCategory.id).where(ExpertCategory.name_en == "Windows")
    )
    profile_in = experts.validate(
        db_session=db_session,
        limits=experts.PriceLimits(),
        display_name=member.display_name,
        languages=["de"],
        category_ids=[category_id],
        keywords="Windows",
        slogan="Ich mache Ihren PC wieder schnell.",
        qualifications="",
        experience="",
        text_language="de",
        price_per_minute=150,
        price_per_session=None,
    )
    draft = experts.submit_profile(
        db_session=db_session, staff=member, profile_in=profile_in, photo_max_bytes=1_000_000
    )
    experts.approve_change(db_session=db_session, profile_id=draft.profile_id, actor=Actor.system())
    db_session.flush()
    return Expert(member.id, draft.profile_id, category_id)


def conversation(db_session: Session, customer_id: int) -> int:
    return chat.start_conversation(
        db_session=db_session,
        customer_id=customer_id,
        device_id=None,
        topic=Topic.wifi,
        client_msg_id=uuid.uuid4().hex,
        text="Mein PC ist so langsam.",
        now=datetime.now(UTC),
    ).conversation.id


def capture(
    db_session: Session,
    *,
    customer_id: int,
    expert_staff_id: int,
    amount: int,
    currency: str,
    now: datetime,
    hold: int | None = None,
) -> int:
    """Authorises `hold` (default: the amount) and posts `amount` split; the post's id."""
    held = ledger.authorise(
        db_session=db_session,
        idempotency_key=uuid.uuid4().hex,
        customer_id=customer_id,
        currency=currency,
        amount=hold or amount,
        now=now,
        expires_in=timedelta(hours=24),
    )
    return ledger.post(
        db_session=db_session,
        idempotency_key=uuid.uuid4().hex,
        hold_id=held.id,
        parts=ledger.session_parts(
            amount, expert_id=expert_staff_id, currency=currency, fee_percent=FEE_PERCENT
        ),
        now=now,
    ).id


def ended_session(
    db_session: Session,
    *,
    customer_id: int,
    expert: Expert,
    amount: int,
    waived: int = 0,
    tip: int = 0,
    currency: str = "CHF",
    now: datetime | None = None,
    conversation_id: int | None = None,
    billed_seconds: int = 600,
) -> PaidSession:
    now = now or datetime.now(UTC)
    charged = amount - waived
    capture_id = None
    if charged > 0:
        capture_id = capture(
            db_session,
            customer_id=customer_id,
            expert_staff_id=expert.staff_id,
            amount=charged,
            hold=max(amount, charged),
            currency=currency,
            now=now,
        )
    tip_id = None
    if tip > 0:
        tip_id = capture(
            db_session,
            customer_id=customer_id,
            expert_staff_id=expert.staff_id,
            amount=tip,
            currency=currency,
            now=now,
        )
    paid = PaidSession(
        conversation_id=conversation_id or conversation(db_session, customer_id),
        customer_id=customer_id,
        expert_staff_id=expert.staff_id,
        expert_profile_id=expert.profile_id,
        category_id=expert.category_id,
        terms="per_minute",
        price=150,
        currency=currency,
        billing_rule="second",
        status="ended",
        proposed_by="expert",
        created_at=now - timedelta(seconds=billed_seconds),
        started_at=now - timedelta(seconds=billed_seconds),
        ended_at=now,
        billed_seconds=billed_seconds,
        amount=amount,
        waived=waived,
        tip=tip,
        capture_transfer_id=capture_id,
        tip_transfer_id=tip_id,
    )
    db_session.add(paid)
    db_session.flush()
    return paid


def refund(db_session: Session, posted_id: int, amount: int, *, staff_id: int, now=None) -> int:
    return ledger.refund(
        db_session=db_session,
        idempotency_key=uuid.uuid4().hex,
        posted_id=posted_id,
        amount=amount,
        reason="Die Verbindung brach ab.",
        actor_staff_id=staff_id,
        now=now or datetime.now(UTC),
    ).id
