"""Release tickets: what a sign-in refused for a full device list gets, so the refused
computer can release one of the customer's computers and take its place without the
password again.

A ticket is 32 random bytes (base64url), stored only as a keyed hash
(`ServerKeys.fingerprint`); it belongs to one customer and to the key that signed the
refused sign-in, works once, and expires after minutes (`release_ticket_minutes`).
Guessing one is hopeless, so tries are not counted. Functions add to the caller's
transaction and do not commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from agent_portal.customers.models import Customer
from agent_portal.devices import credentials
from agent_portal.devices.errors import ReleaseTicketInvalid
from agent_portal.devices.models import ReleaseTicket
from agent_portal.server_keys import ServerKeys

TICKET_BYTES = 32
_PURPOSE = "release-ticket"


@dataclass(frozen=True)
class NewTicket:
    ticket: str  # for the refused computer only; never stored
    expires_at: datetime


def issue(
    *,
    db_session: Session,
    keys: ServerKeys,
    customer: Customer,
    device_id: str,
    activation_code_id: int | None,
    now: datetime,
    lifetime: timedelta,
) -> NewTicket:
    """A ticket for the computer `device_id` (the refused sign-in's key). The customer's
    used and expired tickets go, so the table keeps only what may still be used."""
    db_session.execute(
        delete(ReleaseTicket).where(
            ReleaseTicket.customer_id == customer.id,
            or_(ReleaseTicket.used_at.is_not(None), ReleaseTicket.expires_at <= now),
        )
    )
    ticket = secrets.token_urlsafe(TICKET_BYTES)
    row = ReleaseTicket(
        ticket_hash=keys.fingerprint(_PURPOSE, ticket),
        customer_id=customer.id,
        device_id=device_id,
        activation_code_id=activation_code_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    db_session.add(row)
    db_session.flush()
    return NewTicket(ticket=ticket, expires_at=row.expires_at)


def find_usable(
    *, db_session: Session, keys: ServerKeys, ticket: str, device_id: str, now: datetime
) -> ReleaseTicket:
    """The ticket, if the computer `device_id` may use it now; ReleaseTicketInvalid says
    why not."""
    row = db_session.scalar(
        select(ReleaseTicket).where(ReleaseTicket.ticket_hash == keys.fingerprint(_PURPOSE, ticket))
    )
    if row is None:
        raise ReleaseTicketInvalid("unknown")
    if row.device_id != device_id:
        raise ReleaseTicketInvalid("other_device")
    if row.used_at is not None:
        raise ReleaseTicketInvalid("used")
    if row.expires_at <= now:
        raise ReleaseTicketInvalid("expired")
    return row


def use(*, db_session: Session, row: ReleaseTicket, now: datetime) -> None:
    """Marks the ticket used, and its activation code with it; ReleaseTicketInvalid when a
    request in parallel was first (the database decides, not the read before)."""
    used = db_session.execute(
        update(ReleaseTicket)
        .where(ReleaseTicket.id == row.id, ReleaseTicket.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        raise ReleaseTicketInvalid("used")
    code_id = row.activation_code_id
    if code_id is not None and not credentials.use_activation_code_id(
        db_session=db_session, code_id=code_id, now=now
    ):
        # The letter's code linked another computer meanwhile: it cannot link this one too.
        raise ReleaseTicketInvalid("used")


def forget(db_session: Session, customer: Customer) -> None:
    """Erasure: the customer's tickets go with the devices."""
    db_session.execute(delete(ReleaseTicket).where(ReleaseTicket.customer_id == customer.id))
