"""The outbox: queue an e-mail, claim the ones due, record each attempt. A failed attempt
is tried again later, waiting longer each time, until the attempts run out; a mail the
server refused for good is not tried again.

With several workers, each mail due is claimed by one of them for `CLAIM_TIME`; a worker
that dies with mails claimed leaves them due again when its claim runs out. A mail is
marked sent once. Between the server accepting a mail and its being marked sent, a worker
dying sends it again later: at least once is the promise there, as with any mail client;
the worker marks each mail sent right after the server's answer, keeping that window to
one database write.

The functions flush and never commit: the sending job (`worker`) commits each step at
once, since a claim only keeps other workers off once they can see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agent_portal.mail.models import OutboundEmail


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail: `invoice-2026-000123.pdf`, `application/pdf`, its bytes."""

    name: str
    media_type: str
    content: bytes


RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(minutes=10)
# Long enough for a round of mails to each take SMTP's timeouts several times over.
CLAIM_TIME = timedelta(minutes=10)


def enqueue(
    *,
    db_session: Session,
    to_address: str,
    subject: str,
    body: str,
    now: datetime,
    conversation_id: int | None = None,
    from_name: str | None = None,
    reply_to: str | None = None,
    calendar: str | None = None,
    attachment: Attachment | None = None,
) -> OutboundEmail:
    email = OutboundEmail(
        calendar=calendar,
        attachment_name=attachment.name if attachment else None,
        attachment_type=attachment.media_type if attachment else None,
        attachment=attachment.content if attachment else None,
        to_address=to_address,
        subject=subject,
        body=body,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        conversation_id=conversation_id,
        from_name=from_name,
        reply_to=reply_to,
    )
    db_session.add(email)
    db_session.flush()
    return email


def claim_due(
    *,
    db_session: Session,
    now: datetime,
    claim_id: str,
    limit: int = 20,
    claim_time: timedelta = CLAIM_TIME,
) -> list[OutboundEmail]:
    """Claims up to `limit` due mails for one round of one worker and returns them: each
    is claimed by one worker only. One UPDATE marks them, so two workers asking at once
    get different mails: on PostgreSQL the rows another worker is claiming are skipped
    (`FOR UPDATE SKIP LOCKED`), SQLite lets one writer in at a time."""
    due = (
        select(OutboundEmail.id)
        .where(OutboundEmail.status == "pending", OutboundEmail.next_attempt_at <= now)
        .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    db_session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.id.in_(due),
            OutboundEmail.status == "pending",
            OutboundEmail.next_attempt_at <= now,
        )
        .values(claim_id=claim_id, next_attempt_at=now + claim_time)
        .execution_options(synchronize_session=False)
    )
    db_session.flush()
    return list(
        db_session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.claim_id == claim_id, OutboundEmail.status == "pending")
            .order_by(OutboundEmail.id)
        )
    )


def mark_sent(*, db_session: Session, email_id: int, now: datetime) -> bool:
    """Records the mail as sent, once: False when it was already (a claim that ran out
    while its worker was sending, and another worker sent it too)."""
    result = db_session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.id == email_id, OutboundEmail.status == "pending")
        .values(
            status="sent",
            attempts=OutboundEmail.attempts + 1,
            sent_at=now,
            last_error=None,
            claim_id=None,
        )
        .execution_options(synchronize_session=False)
    )
    db_session.flush()
    return result.rowcount == 1


def mark_failed(
    *,
    db_session: Session,
    email_id: int,
    claim_id: str,
    error: str,
    now: datetime,
    max_attempts: int,
    retry_base: timedelta = RETRY_BASE,
    permanent: bool = False,
) -> OutboundEmail | None:
    """Records a failed attempt: tried again later, or given up after `max_attempts`, or
    at once when the failure is `permanent` (the server refused this mail for good).
    None when the claim is no longer this worker's (it ran out; another has the mail)."""
    email = db_session.get(OutboundEmail, email_id, populate_existing=True)
    if email is None or email.claim_id != claim_id or email.status != "pending":
        return None
    attempts = email.attempts + 1
    given_up = permanent or attempts >= max_attempts
    retry_at = now + min(retry_base * 2 ** (attempts - 1), RETRY_MAX)
    result = db_session.execute(
        update(OutboundEmail)
        .where(
            OutboundEmail.id == email_id,
            OutboundEmail.claim_id == claim_id,
            OutboundEmail.attempts == email.attempts,
        )
        .values(
            attempts=attempts,
            last_error=error[:2000],
            status="failed" if given_up else "pending",
            next_attempt_at=email.next_attempt_at if given_up else retry_at,
            claim_id=None,
        )
        .execution_options(synchronize_session=False)
    )
    db_session.flush()
    if result.rowcount != 1:
        return None
    return db_session.get(OutboundEmail, email_id, populate_existing=True)


def release_claim(*, db_session: Session, claim_id: str, now: datetime) -> int:
    """Gives back the mails of a claim its round did not get to: due again at once."""
    result = db_session.execute(
        update(OutboundEmail)
        .where(OutboundEmail.claim_id == claim_id, OutboundEmail.status == "pending")
        .values(claim_id=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    db_session.flush()
    return result.rowcount


def for_conversation(*, db_session: Session, conversation_id: int) -> list[OutboundEmail]:
    return list(
        db_session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.conversation_id == conversation_id)
            .order_by(OutboundEmail.id)
        )
    )
