"""The ledger's commands: two-phase transfers and refunds. Each takes a db session,
flushes and never commits (`agent_portal.unit_of_work`), takes the clock as `now`, and
carries a client-chosen idempotency key: a repeat with the same content answers the first
result and changes nothing, the same key with other content is refused
(`IdempotencyConflict`). A refused command stores nothing.

- `authorise`: a hold of at most `amount`, counted against the customer's spending limit
  for the period at once; it expires after `expires_in`.
- `post`: captures at most the hold, split among credit accounts (`session_parts` makes the
  expert/fee/tax split); the rest of the hold is released in the same transfer.
- `void`: releases the whole hold. `expire_holds`: the job that voids lapsed holds.
- `refund`: gives back part or all of a capture, never more than is left of it.

A hold leaves `pending` once, by a conditional UPDATE (`... WHERE state = 'pending'`),
which locks its row on PostgreSQL, so of two posts at once exactly one succeeds. A post
whose accounts all exist does it in three statements (`_post_at_once`): the UPDATE that
also makes the post's other checks, the transfer, its entries. When any check fails it
has changed nothing, and the post goes through the checks one by one to say which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.ledger import accounts, writes
from agent_portal.ledger.errors import (
    CurrencyMismatch,
    ExceedsCapture,
    ExceedsHold,
    HoldAlreadyResolved,
    InvalidAmount,
    LedgerError,
    SpendingLimitExceeded,
    SplitMismatch,
    UnknownTransfer,
)
from agent_portal.ledger.models import Account, Entry, Hold, Transfer
from agent_portal.ledger.money import check_amount, check_currency, fee_split, split


@dataclass(frozen=True)
class Part:
    """`amount` cents credited to the account `code` when a hold is posted."""

    code: str
    amount: int


def session_parts(
    amount: int,
    *,
    expert_id: int | str,
    currency: str,
    fee_percent: Decimal,
    tax_percent: Decimal = Decimal(0),
) -> list[Part]:
    """A paid session's capture split into the expert's share, the platform's fee and the
    tax (largest remainder, `money.fee_split`); parts of zero cents are left out."""
    check_amount(amount)
    expert, fee, tax = fee_split(amount, fee_percent=fee_percent, tax_percent=tax_percent)
    parts = [
        Part(accounts.expert_earnings(expert_id, currency), expert),
        Part(accounts.platform_fees(currency), fee),
        Part(accounts.platform_tax(currency), tax),
    ]
    return [part for part in parts if part.amount > 0]


def authorise(
    *,
    db_session: Session,
    idempotency_key: str,
    customer_id: int | str,
    currency: str,
    amount: int,
    now: datetime,
    expires_in: timedelta,
    spending_limit: int | None = None,
    period_start: datetime | None = None,
) -> Transfer:
    """A hold of `amount` on the customer's spending. With `spending_limit`, refused
    (`SpendingLimitExceeded`) when what the customer's holds made since `period_start`
    come to (pending at their amount, posted at what was captured less refunds) plus this
    hold would pass the limit."""
    digest = writes.digest(
        "authorise",
        customer_id=str(customer_id),
        currency=currency,
        amount=amount,
        spending_limit=spending_limit,
    )
    if (earlier := writes.replay(db_session, idempotency_key, digest)) is not None:
        return earlier
    check_currency(currency)
    check_amount(amount)
    if spending_limit is not None and (period_start is None or spending_limit < 0):
        raise InvalidAmount("A spending limit needs its period's start and cannot be negative.")
    spending = accounts.get_or_create(
        db_session=db_session, code=accounts.customer_spending(customer_id, currency), now=now
    )
    held = accounts.get_or_create(db_session=db_session, code=accounts.holds(currency), now=now)
    if spending_limit is not None:
        # One authorisation of a customer at a time on PostgreSQL, so two cannot both fit.
        db_session.execute(select(Account.id).where(Account.id == spending.id).with_for_update())
        used = spent_in_period(db_session=db_session, account=spending, period_start=period_start)
        if used + amount > spending_limit:
            raise SpendingLimitExceeded(
                f"A hold of {amount} would bring the customer's spending this period to "
                f"{used + amount}, above the limit of {spending_limit}.",
                used=used,
                limit=spending_limit,
            )
    transfer = writes.write(
        db_session=db_session,
        key=idempotency_key,
        digest=digest,
        kind="authorise",
        currency=currency,
        amount=amount,
        now=now,
        entries=[(spending, True, amount), (held, False, amount)],
    )
    db_session.add(
        Hold(
            transfer_id=transfer.id,
            account_id=spending.id,
            amount=amount,
            currency=currency,
            created_at=now,
            expires_at=now + expires_in,
            state="pending",
        )
    )
    db_session.flush()
    return transfer


def post(
    *, db_session: Session, idempotency_key: str, hold_id: int, parts: Sequence[Part], now: datetime
) -> Transfer:
    """Captures the sum of `parts` (at most the hold) and releases the rest of the hold."""
    digest = writes.digest(
        "post", hold_id=hold_id, parts=sorted([part.code, part.amount] for part in parts)
    )
    posted = _post_at_once(
        db_session=db_session,
        key=idempotency_key,
        digest=digest,
        hold_id=hold_id,
        parts=parts,
        now=now,
    )
    if posted is not None:
        return posted
    # Step by step: a repeat, a refusal (each checked in its turn), a new account.
    if (earlier := writes.replay(db_session, idempotency_key, digest)) is not None:
        return earlier
    if not parts:
        raise SplitMismatch("A post needs at least one part; to capture nothing, void the hold.")
    for part in parts:
        check_amount(part.amount, what=f"The part for {part.code}")
    hold = writes.pending_hold(db_session=db_session, hold_id=hold_id, now=now)
    captured = sum(part.amount for part in parts)
    if captured > hold.amount:
        raise ExceedsHold(
            f"Capturing {captured} is more than the hold of {hold.amount}.", hold=hold.amount
        )
    # Every account the post touches in one query: the parts', the holds' and the
    # customer's spending account.
    by_code, by_id = accounts.get_or_create_many(
        db_session=db_session,
        codes=[part.code for part in parts] + [accounts.holds(hold.currency)],
        now=now,
        ids=(hold.account_id,),
    )
    credited = []
    for part in parts:
        account = by_code[part.code]
        if account.kind in writes.NOT_CREDITED_BY_A_POST:
            raise SplitMismatch(f"{part.code} cannot receive a part of a capture.")
        if account.currency != hold.currency:
            raise CurrencyMismatch(
                f"{part.code} is in {account.currency}, the hold in {hold.currency}."
            )
        credited.append((account, False, part.amount))
    writes.resolve(db_session=db_session, hold=hold, state="posted")
    spending = by_id.get(hold.account_id) or db_session.get(Account, hold.account_id)
    held = by_code[accounts.holds(hold.currency)]
    released = hold.amount - captured
    entries = [(held, True, hold.amount)]
    if released:
        entries.append((spending, False, released))
    return writes.write(
        db_session=db_session,
        key=idempotency_key,
        digest=digest,
        kind="post",
        currency=hold.currency,
        amount=captured,
        now=now,
        entries=entries + credited,
        hold_id=hold.transfer_id,
    )


def _post_at_once(
    *, db_session: Session, key: str, digest: str, hold_id: int, parts: Sequence[Part], now
) -> Transfer | None:
    """A post in three statements when nothing is in its way: the hold taken by one
    conditional UPDATE that checks what `post` checks (`writes.take_for_post`), the
    transfer and its entries. None, with nothing written, when a check fails, the key was
    used or an account is still to be made: `post` then goes step by step and finds out
    which (the same refusal, in the same order, as ever)."""
    if not parts:
        return None
    try:
        for part in parts:
            check_amount(part.amount)
        currencies = {accounts.parse(part.code)[1] for part in parts}
        writes.check_key(key)
    except LedgerError:
        return None
    if len(currencies) != 1:
        return None
    (currency,) = currencies
    captured = sum(part.amount for part in parts)
    db_session.flush()  # as the first query would
    taken = writes.take_for_post(
        db_session=db_session,
        hold_id=hold_id,
        key=key,
        currency=currency,
        codes=sorted({part.code for part in parts}),
        at_least=captured,
        now=now,
    )
    if taken is None:
        return None
    taken_id, spending_id, amount, account_ids = taken
    entries = [(account_ids[accounts.holds(currency)], True, amount)]
    if amount > captured:
        entries.append((spending_id, False, amount - captured))
    entries += [(account_ids[part.code], False, part.amount) for part in parts]
    return writes.insert_transfer(
        db_session=db_session,
        key=key,
        digest=digest,
        kind="post",
        currency=currency,
        amount=captured,
        now=now,
        entries=entries,
        hold_id=taken_id,
    )


def void(*, db_session: Session, idempotency_key: str, hold_id: int, now: datetime) -> Transfer:
    """Releases the whole hold (also one past its expiry that the job has not reached)."""
    digest = writes.digest("void", hold_id=hold_id)
    if (earlier := writes.replay(db_session, idempotency_key, digest)) is not None:
        return earlier
    hold = writes.pending_hold(db_session=db_session, hold_id=hold_id, now=None)
    return _release(
        db_session=db_session, hold=hold, kind="void", key=idempotency_key, digest=digest, now=now
    )


def expire_holds(*, db_session: Session, now: datetime, batch: int = 200) -> list[Transfer]:
    """Releases up to `batch` holds whose time has run out: each becomes `expired` by a
    transfer of its own (key `ledger:expire:<hold>`). The hold job runs this."""
    lapsed = db_session.scalars(
        select(Hold)
        .where(Hold.state == "pending", Hold.expires_at <= now)
        .order_by(Hold.expires_at, Hold.transfer_id)
        .limit(batch)
    ).all()
    done = []
    for hold in lapsed:
        key = f"{writes.RESERVED_PREFIX}expire:{hold.transfer_id}"
        try:
            done.append(
                _release(
                    db_session=db_session,
                    hold=hold,
                    kind="expire",
                    key=key,
                    digest=writes.digest("expire", hold_id=hold.transfer_id),
                    now=now,
                )
            )
        except HoldAlreadyResolved:
            continue  # posted or voided meanwhile
    return done


def refund(
    *,
    db_session: Session,
    idempotency_key: str,
    posted_id: int,
    amount: int,
    reason: str,
    actor_staff_id: int,
    now: datetime,
) -> Transfer:
    """Gives `amount` of a capture back to the customer, taken from its parts in proportion
    to what is left of each (largest remainder); never more than the capture less its
    earlier refunds (`ExceedsCapture`)."""
    digest = writes.digest(
        "refund", posted_id=posted_id, amount=amount, reason=reason, actor=actor_staff_id
    )
    if (earlier := writes.replay(db_session, idempotency_key, digest)) is not None:
        return earlier
    check_amount(amount, what="The refund")
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise LedgerError("A refund needs a reason (at most 500 characters).")
    posted = db_session.get(Transfer, posted_id)
    if posted is None or posted.kind != "post":
        raise UnknownTransfer(f"There is no posted transfer {posted_id}.")
    # Refunds of one capture one at a time on PostgreSQL (its hold's row is their lock).
    hold = db_session.scalars(
        select(Hold).where(Hold.transfer_id == posted.hold_id).with_for_update()
    ).one()
    left = remaining_parts(db_session=db_session, posted=posted, spending_id=hold.account_id)
    refundable = sum(left.values())
    if amount > refundable:
        raise ExceedsCapture(
            f"Refunding {amount} is more than is left of the capture ({refundable}).",
            refundable=refundable,
        )
    account_ids = sorted(left)
    taken = split(amount, [left[account_id] for account_id in account_ids])
    spending = db_session.get(Account, hold.account_id)
    entries = [(spending, False, amount)] + [
        (db_session.get(Account, account_id), True, part)
        for account_id, part in zip(account_ids, taken, strict=True)
        if part > 0
    ]
    return writes.write(
        db_session=db_session,
        key=idempotency_key,
        digest=digest,
        kind="refund",
        currency=posted.currency,
        amount=amount,
        now=now,
        entries=entries,
        reverses_id=posted.id,
        reason=reason,
        actor_staff_id=actor_staff_id,
    )


def remaining_parts(*, db_session: Session, posted: Transfer, spending_id: int) -> dict[int, int]:
    """What is left of each credited part of a capture after its refunds: account -> cents."""
    left: dict[int, int] = {}
    for entry in posted.entries:
        if not entry.debit and entry.account_id != spending_id:
            left[entry.account_id] = left.get(entry.account_id, 0) + entry.amount
    refunded = db_session.execute(
        select(Entry.account_id, func.sum(Entry.amount))
        .join(Transfer, Transfer.id == Entry.transfer_id)
        .where(Transfer.reverses_id == posted.id, Entry.debit.is_(True))
        .group_by(Entry.account_id)
    ).all()
    for account_id, total in refunded:
        left[account_id] = left.get(account_id, 0) - int(total)
    return {account_id: cents for account_id, cents in left.items() if cents > 0}


def spent_in_period(*, db_session: Session, account: Account, period_start: datetime) -> int:
    """What the holds made on this spending account since `period_start` count against its
    limit: a pending hold its amount, a posted one its capture less refunds, a voided or
    expired one nothing."""
    pending = db_session.scalar(
        select(func.coalesce(func.sum(Hold.amount), 0)).where(
            Hold.account_id == account.id, Hold.created_at >= period_start, Hold.state == "pending"
        )
    )
    in_period = select(Hold.transfer_id).where(
        Hold.account_id == account.id, Hold.created_at >= period_start, Hold.state == "posted"
    )
    captured = db_session.scalar(
        select(func.coalesce(func.sum(Transfer.amount), 0)).where(
            Transfer.kind == "post", Transfer.hold_id.in_(in_period)
        )
    )
    posts = select(Transfer.id).where(Transfer.kind == "post", Transfer.hold_id.in_(in_period))
    refunded = db_session.scalar(
        select(func.coalesce(func.sum(Transfer.amount), 0)).where(
            Transfer.kind == "refund", Transfer.reverses_id.in_(posts)
        )
    )
    return int(pending) + int(captured) - int(refunded)


def get_hold(*, db_session: Session, hold_id: int) -> Hold | None:
    return db_session.get(Hold, hold_id)


def get_transfer(*, db_session: Session, transfer_id: int) -> Transfer | None:
    return db_session.get(Transfer, transfer_id)


def _release(*, db_session, hold: Hold, kind: str, key: str, digest: str, now) -> Transfer:
    writes.resolve(
        db_session=db_session, hold=hold, state="voided" if kind == "void" else "expired"
    )
    spending = db_session.get(Account, hold.account_id)
    held = accounts.get_or_create(
        db_session=db_session, code=accounts.holds(hold.currency), now=now
    )
    return writes.write(
        db_session=db_session,
        key=key,
        digest=digest,
        kind=kind,
        currency=hold.currency,
        amount=hold.amount,
        now=now,
        entries=[(held, True, hold.amount), (spending, False, hold.amount)],
        hold_id=hold.transfer_id,
    )
