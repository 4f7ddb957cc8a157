"""Ended paid sessions as the meter leaves them: the row together with its real ledger
transfers (a hold authorised, then posted with the expert/fee/tax split; a tip on a hold
of its own), so invoices and payouts read exactly what the ledger booked."""

from __future__ import annotations

import contextlib
import itertools
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from agent_portal.chat.models import Conversation
from agent_portal.experts.models import ExpertProfile
from agent_portal.invoices.figures import Issuer
from agent_portal.ledger import service as ledger
from agent_portal.paid_sessions.models import PaidSession
from tests.support.portal_data import add_customer, create_staff

FEE = Decimal(20)
TAX = Decimal("8.1")
ISSUER = Issuer(
    name="Alpnet AG",
    address="Bahnhofstrasse 1|8001 Zürich",
    tax_id="CHE-123.456.789 MWST",
    tax_percent=TAX,
    fee_percent=FEE,
    zone=__import__("zoneinfo").ZoneInfo("Europe/Zurich"),
)
_keys = itertools.count(1)


@dataclass
class People:
    customer_id: int
    expert_staff_id: int
    expert_profile_id: int
    conversation_id: int


def people(
    db_session: Session,
    *,
    account: str = "K-1001",
    expert: str = "anna.berger",
    language: str = "de",
    expert_language: str = "de",
    staff=None,
) -> People:
    """A customer, an expert (`staff`, or a new one named `expert`) with a profile, and a
    conversation of theirs."""
    customer = add_customer(
        db_session,
        account,
        name="Erika Muster",
        email=f"{account.lower()}@example.ch",
        language=language,
    )
    staff = db_session.merge(staff) if staff else create_staff(db_session, expert, "expert")
    staff.email = f"{expert}@alpnet.example"
    profile = ExpertProfile(
        staff_id=staff.id,
        display_name="Anna Berger",
        languages="de,en",
        text_language=expert_language,
        price_per_minute=150,
        currency="CHF",
    )
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    conversation = Conversation(
        customer_id=customer.id,
        topic="internet",
        kind="expert_prechat",
        status="closed",
        start_key=f"k{next(_keys)}",
        created_at=now,
        updated_at=now,
    )
    db_session.add_all([profile, conversation])
    db_session.commit()
    return People(customer.id, staff.id, profile.id, conversation.id)


def ended_session(
    db_session: Session,
    who: People,
    *,
    amount: int,
    waived: int = 0,
    tip: int = 0,
    ended_at: datetime = datetime(2026, 12, 1, 14, 30, tzinfo=UTC),
    billed_seconds: int = 600,
    terms: str = "per_minute",
    price: int = 150,
) -> PaidSession:
    """Commits an ended session with its capture (amount - waived, when above zero) and tip
    posted in the ledger, as the meter does."""
    started = ended_at - timedelta(seconds=billed_seconds)
    paid = PaidSession(
        conversation_id=who.conversation_id,
        customer_id=who.customer_id,
        expert_staff_id=who.expert_staff_id,
        expert_profile_id=who.expert_profile_id,
        terms=terms,
        price=price,
        currency="CHF",
        billing_rule="second",
        status="ended",
        proposed_by="expert",
        created_at=started,
        started_at=started,
        ended_at=ended_at,
        billed_seconds=billed_seconds,
        amount=amount,
        waived=waived,
        tip=tip,
    )
    for what, cents in (("capture", amount - waived), ("tip", tip)):
        if cents <= 0:
            continue
        key = f"test-{next(_keys)}"
        hold = ledger.authorise(
            db_session=db_session,
            idempotency_key=f"{key}-hold",
            customer_id=who.customer_id,
            currency="CHF",
            amount=cents + 500,
            now=started,
            expires_in=timedelta(hours=24),
        )
        parts = ledger.session_parts(
            cents, expert_id=who.expert_staff_id, currency="CHF", fee_percent=FEE, tax_percent=TAX
        )
        posted = ledger.post(
            db_session=db_session,
            idempotency_key=f"{key}-post",
            hold_id=hold.id,
            parts=parts,
            now=ended_at,
        )
        setattr(paid, f"{what}_transfer_id", posted.id)
    db_session.add(paid)
    db_session.commit()
    return paid


def pdf_text(data: bytes) -> str:
    """The text an fpdf2 PDF shows: its content streams inflated, their strings joined."""
    assert data.startswith(b"%PDF-")
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            stream = zlib.decompress(stream)
        for text in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream):
            text = re.sub(rb"\\(.)", rb"\1", text)
            chunks.append(text.decode("cp1252"))
    return "\n".join(chunks)
