"""How the ledger writes: the idempotency key looked up first, a hold taken from
`pending` once, and a transfer with its balanced entries inserted, never changed. Used by
`service`; nothing here commits."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from agent_portal.ledger.errors import (
    CurrencyMismatch,
    HoldAlreadyResolved,
    HoldExpired,
    IdempotencyConflict,
    LedgerError,
    UnknownTransfer,
)
from agent_portal.ledger.models import Account, Entry, Hold, Transfer

KEY_MAX = 100
RESERVED_PREFIX = "ledger:"  # the ledger's own keys (expiry)


def digest(kind: str, **content) -> str:
    text = json.dumps({"kind": kind, **content}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(db_session: Session, key: str, digest: str) -> Transfer | None:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX:
        raise LedgerError(f"An idempotency key of 1 to {KEY_MAX} characters is needed.")
    if key.startswith(RESERVED_PREFIX):
        raise LedgerError(f"Idempotency keys starting with {RESERVED_PREFIX!r} are the ledger's.")
    earlier = db_session.scalar(select(Transfer).where(Transfer.idempotency_key == key))
    if earlier is None:
        return None
    if earlier.command_digest != digest:
        raise IdempotencyConflict(
            f"The idempotency key {key!r} was used for another command (transfer {earlier.id}).",
            transfer_id=earlier.id,
        )
    return earlier


def pending_hold(*, db_session: Session, hold_id: int, now: datetime | None) -> Hold:
    """The hold, its row locked on PostgreSQL; refused when it is resolved, or (with `now`)
    when its time has run out."""
    # Read afresh with the lock (`populate_existing`): what another transaction committed
    # before it, even when this session had read the hold already.
    hold = db_session.scalars(
        select(Hold)
        .where(Hold.transfer_id == hold_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if hold is None:
        raise UnknownTransfer(f"There is no hold {hold_id}.")
    if hold.state != "pending":
        raise HoldAlreadyResolved(f"The hold {hold_id} is already {hold.state}.", state=hold.state)
    if now is not None and now >= hold.expires_at:
        raise HoldExpired(
            f"The hold {hold_id} expired at {hold.expires_at.isoformat()}; it can only be voided.",
            expires_at=hold.expires_at,
        )
    return hold


def resolve(*, db_session: Session, hold: Hold, state: str) -> None:
    """`pending` -> `state`, only if still pending: of two at once, one wins."""
    changed = db_session.execute(
        update(Hold)
        .where(Hold.transfer_id == hold.transfer_id, Hold.state == "pending")
        .values(state=state)
    ).rowcount
    if changed != 1:
        db_session.refresh(hold)
        raise HoldAlreadyResolved(
            f"The hold {hold.transfer_id} is already {hold.state}.", state=hold.state
        )


def write(
    *,
    db_session: Session,
    key: str,
    digest: str,
    kind: str,
    currency: str,
    amount: int,
    now: datetime,
    entries: list[tuple[Account, bool, int]],
    **links,
) -> Transfer:
    """One transfer and its entries, balanced and in one currency, or nothing."""
    debits = sum(cents for _account, debit, cents in entries if debit)
    credits = sum(cents for _account, debit, cents in entries if not debit)
    if debits != credits:  # a bug here, never the caller's input
        raise AssertionError(f"unbalanced {kind}: debits {debits} != credits {credits}")
    for account, _debit, _cents in entries:
        if account.currency != currency:
            raise CurrencyMismatch(f"{account.code} is in {account.currency}, not {currency}.")
    transfer = Transfer(
        idempotency_key=key,
        command_digest=digest,
        kind=kind,
        currency=currency,
        amount=amount,
        created_at=now,
        **links,
    )
    db_session.add(transfer)
    db_session.flush()
    written = [
        Entry(transfer_id=transfer.id, account_id=account.id, debit=debit, amount=cents)
        for account, debit, cents in entries
    ]
    db_session.add_all(written)
    db_session.flush()
    # The entries just written are the transfer's, in their order: no query to read
    # them back.
    set_committed_value(transfer, "entries", sorted(written, key=lambda entry: entry.id))
    return transfer
