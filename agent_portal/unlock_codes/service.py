"""One-time unlock codes: an agent issues one for a customer and reads it out; the
customer's assistant redeems it for a session entitlement.

A code is 8 digits drawn uniformly with `secrets.randbelow` (every code as likely as any
other; HOTP's 31-bit truncation modulo 10^8 favoured codes below 47,483,648), valid for
minutes, single use, bound to the customer. 8 digits are only 10^8 values, so what
protects a code is the attempt limit: wrong codes are counted per customer, device and
address, and too many lock all three for a while. Each attempt is reserved (and
committed) before the code is compared, so parallel requests cannot compare more codes
than the limit allows (`agent_portal.attempts`). The database keeps
only a keyed hash of the code and its row id. Every issue, revocation, redemption and
failure goes into the audit log with the agent's name.

Functions take `now`, flush and never commit (the route commits; a refused code raises
with its counted attempt and audit entry flushed, for the route to commit), and return
None when nothing is found.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from agent_portal.attempts import flows as attempt_flows
from agent_portal.attempts import service as attempts
from agent_portal.attempts.service import AttemptPolicy
from agent_portal.audit.service import Actor, record
from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Customer, Device
from agent_portal.entitlements import service as entitlements
from agent_portal.server_keys import ServerKeys
from agent_portal.unlock_codes.audit_events import Event
from agent_portal.unlock_codes.errors import (
    CodeAlreadyUsed,
    CodeExpired,
    CodeFormatInvalid,
    CodeInvalid,
    CodeRevoked,
    TooManyAttempts,
)
from agent_portal.unlock_codes.models import CodeStatus, UnlockCode
from isp_common.offline_codes import CODE_DIGITS, format_code
from isp_common.premium_wire import EntitlementGrant

# Codes older than this are not even compared: their answer would only be "expired".
COMPARE_WINDOW = timedelta(days=2)
LIST_LIMIT = 20
_SEPARATORS = re.compile(r"[\s\-./]+")


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _fingerprint(keys: ServerKeys, code_id: int, digits: str) -> str:
    return keys.fingerprint("unlock_code", f"{code_id}:{digits}")


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown to the agent once, never stored
    unlock_code: UnlockCode

    @property
    def readable(self) -> str:
        return format_code(self.code)


def issue(
    *,
    db_session: Session,
    keys: ServerKeys,
    customer: Customer,
    staff: StaffMember,
    now: datetime,
    lifetime: timedelta,
) -> IssuedCode:
    code = new_code()
    row = UnlockCode(
        customer_id=customer.id,
        code_hash="",
        created_at=now,
        expires_at=now + lifetime,
        issued_by_id=staff.id,
        issued_by_name=staff.name,
    )
    db_session.add(row)
    db_session.flush()  # the id is part of the hash
    row.code_hash = _fingerprint(keys, row.id, code)
    record(
        db_session=db_session,
        event=Event.UNLOCK_CODE_ISSUED,
        actor=Actor.staff(staff),
        now=now,
        customer=customer,
        code_id=row.id,
        expires_at=row.expires_at,
    )
    db_session.flush()
    return IssuedCode(code=code, unlock_code=row)


def list_codes(
    *, db_session: Session, customer: Customer, limit: int = LIST_LIMIT
) -> list[UnlockCode]:
    """The customer's latest codes, newest first."""
    statement = (
        select(UnlockCode)
        .where(UnlockCode.customer_id == customer.id)
        .order_by(UnlockCode.created_at.desc(), UnlockCode.id.desc())
        .limit(limit)
    )
    return list(db_session.scalars(statement))


def revoke(
    *, db_session: Session, customer: Customer, code_id: int, staff: StaffMember, now: datetime
) -> UnlockCode | None:
    """Withdraws an open code. A code that is used, revoked or expired stays as it is (the
    caller tells by its status); None when the customer has no such code."""
    row = db_session.get(UnlockCode, code_id)
    if row is None or row.customer_id != customer.id:
        return None
    result = db_session.execute(
        update(UnlockCode)
        .where(
            UnlockCode.id == row.id,
            UnlockCode.used_at.is_(None),
            UnlockCode.revoked_at.is_(None),
            UnlockCode.expires_at > now,
        )
        .values(revoked_at=now, revoked_by_name=staff.name)
    )
    if result.rowcount == 1:
        record(
            db_session=db_session,
            event=Event.UNLOCK_CODE_REVOKED,
            actor=Actor.staff(staff),
            now=now,
            customer=customer,
            code_id=row.id,
        )
    db_session.flush()
    db_session.refresh(row)
    return row


def normalise(code: str) -> str | None:
    """The 8 digits of what the customer typed ("1234 5678", "1234-5678"), or None."""
    digits = _SEPARATORS.sub("", code or "")
    if len(digits) != CODE_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


# Built once (see `redeem`): the customer's recent codes, and using one up, exactly once
# even when two requests race for it.
_CANDIDATES = select(UnlockCode).where(
    UnlockCode.customer_id == bindparam("customer_id"), UnlockCode.created_at > bindparam("since")
)
_TAKE = (
    update(UnlockCode)
    .where(
        UnlockCode.id == bindparam("code_id"),
        UnlockCode.used_at.is_(None),
        UnlockCode.revoked_at.is_(None),
    )
    .values(used_at=bindparam("now"), used_by_device_id=bindparam("device"))
    .execution_options(synchronize_session=False)
)


def redeem(
    *,
    db_session: Session,
    keys: ServerKeys,
    device: Device,
    code: str,
    address: str,
    now: datetime,
    policy: AttemptPolicy,
    session_lifetime: timedelta,
) -> EntitlementGrant:
    """A session entitlement for the device, if `code` is an open code of its customer;
    otherwise one of the errors in `agent_portal.unlock_codes.errors`."""
    digits = normalise(code)
    if digits is None:
        raise CodeFormatInvalid()
    customer = device.customer
    reservation = _reserve_attempt(
        db_session=db_session, device=device, address=address, now=now, policy=policy
    )

    candidates = db_session.scalars(
        _CANDIDATES, {"customer_id": customer.id, "since": now - COMPARE_WINDOW}
    )
    match = None
    for candidate in candidates:  # every one, so the time taken says nothing
        if hmac.compare_digest(candidate.code_hash, _fingerprint(keys, candidate.id, digits)):
            match = match or candidate
    audit = {
        "db_session": db_session,
        "actor": Actor.device(device),
        "now": now,
        "customer": customer,
        "device_id": device.id,
        "address": address,
    }
    if match is None:
        failure = attempts.record_failure(db_session=db_session, reservation=reservation)
        record(event=Event.UNLOCK_CODE_FAILED, reason="wrong", **audit)
        if failure.locked_until is not None:
            record(event=Event.UNLOCK_LOCKED, until=failure.locked_until, **audit)
        db_session.flush()
        if failure.locked_until is not None:
            raise TooManyAttempts(failure.locked_until, now)
        raise CodeInvalid(failure.attempts_left)

    status = match.status(now)
    if status is CodeStatus.OPEN:
        # Signed before the code is taken: the write transaction below stays short, which
        # matters on SQLite, where one writer at a time holds the database.
        grant = entitlements.session_grant(
            keys=keys, customer=customer, device_id=device.id, now=now, lifetime=session_lifetime
        )
        taken = db_session.execute(_TAKE, {"code_id": match.id, "now": now, "device": device.id})
        if taken.rowcount != 1:  # redeemed or revoked a moment ago
            # Read again within this transaction: the UPDATE that found nothing waited for
            # the one that took the code (PostgreSQL's row lock, SQLite's one writer).
            db_session.refresh(match)
            status = match.status(now)
    if status is not CodeStatus.OPEN:
        # A right code that no longer works: not a guess, so the attempt is given back.
        attempts.release(db_session=db_session, reservation=reservation)
        record(event=Event.UNLOCK_CODE_FAILED, reason=status.value, code_id=match.id, **audit)
        db_session.flush()
        if status is CodeStatus.USED:
            raise CodeAlreadyUsed()
        if status is CodeStatus.REVOKED:
            raise CodeRevoked()
        raise CodeExpired(match.expires_at)

    # The customer's and the device's earlier wrong codes are forgiven; the address only
    # gets this attempt back (others may be guessing from there).
    attempts.record_success(
        db_session=db_session, reservation=reservation, forget=_attempt_keys(device, address)[:2]
    )
    record(
        event=Event.UNLOCK_CODE_REDEEMED,
        code_id=match.id,
        issued_by=match.issued_by_name,
        expires_at=grant.expires_at,
        **audit,
    )
    db_session.flush()
    return grant


def _attempt_keys(device: Device, address: str) -> list[str]:
    return [
        f"unlock:customer:{device.customer_id}",
        f"unlock:device:{device.id}",
        f"unlock:address:{address}",
    ]


def _reserve_attempt(
    *, db_session: Session, device: Device, address: str, now: datetime, policy: AttemptPolicy
) -> attempts.Reservation:
    """One attempt counted against the customer, the device and the address, committed
    before the code is compared: only a reserved attempt may compare, and requests in
    parallel see each other's reservations. Raises TooManyAttempts when one is used up."""
    limits = dict.fromkeys(_attempt_keys(device, address), policy)
    try:
        return attempt_flows.reserve_committed(db_session=db_session, limits=limits, now=now)
    except attempts.AttemptsUsedUp as used_up:
        raise TooManyAttempts(used_up.locked_until, now) from None
