"""The outbox: queue an e-mail, pick the ones due, record each attempt. A failed attempt is
tried again later, waiting longer each time, until the attempts run out; a mail the
server refused for good is not tried again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.mail.models import OutboundEmail

RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(minutes=10)


def enqueue(
    *,
    db_session: Session,
    to_address: str,
    subject: str,
    body: str,
    now: datetime,
    conversation_id: int | None = None,
    commit: bool = True,
) -> OutboundEmail:
    email = OutboundEmail(
        to_address=to_address,
        subject=subject,
        body=body,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        conversation_id=conversation_id,
    )
    db_session.add(email)
    if commit:
        db_session.commit()
    return email


def due(*, db_session: Session, now: datetime, limit: int = 20) -> list[OutboundEmail]:
    return list(
        db_session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.status == "pending", OutboundEmail.next_attempt_at <= now)
            .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
            .limit(limit)
        )
    )


def mark_sent(*, db_session: Session, email_id: int, now: datetime) -> None:
    email = db_session.get(OutboundEmail, email_id)
    email.status = "sent"
    email.attempts += 1
    email.sent_at = now
    email.last_error = None
    db_session.commit()


def mark_failed(
    *,
    db_session: Session,
    email_id: int,
    error: str,
    now: datetime,
    max_attempts: int,
    retry_base: timedelta = RETRY_BASE,
    permanent: bool = False,
) -> OutboundEmail:
    """Records a failed attempt: tried again later, or given up after `max_attempts`, or
    at once when the failure is `permanent` (the server refused this mail for good)."""
    email = db_session.get(OutboundEmail, email_id)
    email.attempts += 1
    email.last_error = error[:2000]
    if permanent or email.attempts >= max_attempts:
        email.status = "failed"
    else:
        email.next_attempt_at = now + min(retry_base * 2 ** (email.attempts - 1), RETRY_MAX)
    db_session.commit()
    return email


def for_conversation(*, db_session: Session, conversation_id: int) -> list[OutboundEmail]:
    return list(
        db_session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.conversation_id == conversation_id)
            .order_by(OutboundEmail.id)
        )
    )
