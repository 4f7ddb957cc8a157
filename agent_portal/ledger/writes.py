"""How the ledger writes: the idempotency key looked up first, a hold taken from
`pending` once, and a transfer with its balanced entries inserted, never changed. Used by
`service`; nothing here commits.

The writes are Core statements, each built once: the ORM's unit of work (a flush for the
transfer, another for its entries, one INSERT for each entry) cost several times the
database's own work. The transfer written is put into the session as though it had been
read, its entries with it, so the caller gets the usual `Transfer`."""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    bindparam,
    exists,
    func,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from agent_portal.ledger import accounts
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
NOT_CREDITED_BY_A_POST = ("customer_spending", "holds")

_accounts = Account.__table__
_transfers = Transfer.__table__
_entries = Entry.__table__
_holds = Hold.__table__

_INSERT_TRANSFER = insert(_transfers).returning(_transfers.c.id)
_TRANSFER_COLUMNS = tuple(column.key for column in _transfers.columns if column.key != "id")
_RESOLVE = (
    update(_holds)
    .where(_holds.c.transfer_id == bindparam("hold"), _holds.c.state == "pending")
    .values(state=bindparam("new_state"))
)


def digest(kind: str, **content) -> str:
    text = json.dumps({"kind": kind, **content}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str) -> None:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX:
        raise LedgerError(f"An idempotency key of 1 to {KEY_MAX} characters is needed.")
    if key.startswith(RESERVED_PREFIX):
        raise LedgerError(f"Idempotency keys starting with {RESERVED_PREFIX!r} are the ledger's.")


def replay(db_session: Session, key: str, digest: str) -> Transfer | None:
    check_key(key)
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
    changed = (
        db_session.connection()
        .execute(_RESOLVE, {"hold": hold.transfer_id, "new_state": state})
        .rowcount
    )
    if changed != 1:
        db_session.refresh(hold)
        raise HoldAlreadyResolved(
            f"The hold {hold.transfer_id} is already {hold.state}.", state=hold.state
        )
    set_committed_value(hold, "state", state)


@functools.cache
def _take_for_post(codes: int):
    """The UPDATE that posts a hold at once, for `codes` distinct accounts credited
    (`code0`...): see `take_for_post`."""

    def account(*conditions):
        return select(_accounts.c.id).where(*conditions)

    in_currency = _accounts.c.currency == bindparam("in_currency")
    credited = [bindparam(f"code{number}") for number in range(codes)]
    return (
        update(_holds)
        .where(
            _holds.c.transfer_id == bindparam("hold"),
            _holds.c.state == "pending",
            _holds.c.expires_at > bindparam("as_of"),
            _holds.c.amount >= bindparam("at_least"),
            _holds.c.currency == bindparam("in_currency"),
            ~exists().where(_transfers.c.idempotency_key == bindparam("key")),
            account(_accounts.c.id == _holds.c.account_id, in_currency).exists(),
            account(_accounts.c.code == bindparam("holds_code"), in_currency).exists(),
            select(func.count())
            .where(
                _accounts.c.code.in_(credited),
                in_currency,
                *(_accounts.c.kind != kind for kind in NOT_CREDITED_BY_A_POST),
            )
            .scalar_subquery()
            == codes,
        )
        .values(state="posted")
        .returning(
            _holds.c.transfer_id,
            _holds.c.account_id,
            _holds.c.amount,
            account(_accounts.c.code == bindparam("holds_code")).scalar_subquery(),
            *(account(_accounts.c.code == code).scalar_subquery() for code in credited),
        )
    )


def take_for_post(
    *,
    db_session: Session,
    hold_id: int,
    key: str,
    currency: str,
    codes: list[str],
    at_least: int,
    now: datetime,
) -> tuple[int, int, int, dict[str, int]] | None:
    """Posts the hold (`pending` -> `posted`) in one statement if everything `post`
    checks holds: it is pending, not expired, of at least `at_least` and in `currency`;
    the key is new; its spending account, the holds account of `currency` and the
    accounts `codes` (distinct, to be credited) exist in `currency`, none of these a
    customer's spending or a holds account. Then (the hold's id, its spending account,
    its amount, account id by code, the holds account's included). None, with nothing
    changed, when anything of that is not so: the caller then finds out what, step by
    step. On PostgreSQL the UPDATE locks the hold's row, and checks its state again after
    a wait."""
    holds_code = accounts.holds(currency)
    taken = (
        db_session.connection()
        .execute(
            _take_for_post(len(codes)),
            {
                "hold": hold_id,
                "as_of": now,
                "at_least": at_least,
                "in_currency": currency,
                "key": key,
                "holds_code": holds_code,
                **{f"code{number}": code for number, code in enumerate(codes)},
            },
        )
        .first()
    )
    if taken is None:
        return None
    # A hold this session had read says so too (as `resolve` leaves it).
    held = db_session.identity_map.get(identity_key(Hold, taken.transfer_id))
    if held is not None:
        set_committed_value(held, "state", "posted")
    transfer_id, spending_id, amount, *ids = taken
    return transfer_id, spending_id, amount, dict(zip([holds_code, *codes], ids, strict=True))


@functools.cache
def _insert_entries(count: int):
    """One INSERT of `count` entries of one transfer (`transfer`, then `account<n>`,
    `debit<n>`, `amount<n>`), built once for each count. (The ORM, and an executemany
    on PostgreSQL, sent one INSERT for each entry; an INSERT of many VALUES is compiled
    again on every use, this one is cached.) The rows go in in the order given; it
    returns them with their ids."""
    transfer = bindparam("transfer", type_=Integer)
    rows = [
        select(
            transfer,
            bindparam(f"account{number}", type_=Integer),
            bindparam(f"debit{number}", type_=Boolean),
            bindparam(f"amount{number}", type_=BigInteger),
        )
        for number in range(count)
    ]
    return (
        insert(_entries)
        .from_select(
            ["transfer_id", "account_id", "debit", "amount"],
            rows[0] if count == 1 else union_all(*rows),
        )
        .returning(*_entries.columns)
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
    for account, _debit, _cents in entries:
        if account.currency != currency:
            raise CurrencyMismatch(f"{account.code} is in {account.currency}, not {currency}.")
    return insert_transfer(
        db_session=db_session,
        key=key,
        digest=digest,
        kind=kind,
        currency=currency,
        amount=amount,
        now=now,
        entries=[(account.id, debit, cents) for account, debit, cents in entries],
        **links,
    )


def insert_transfer(
    *,
    db_session: Session,
    key: str,
    digest: str,
    kind: str,
    currency: str,
    amount: int,
    now: datetime,
    entries: list[tuple[int, bool, int]],
    **links,
) -> Transfer:
    """`write` for entries by account id, whose accounts the caller found in `currency`:
    two statements, the transfer and its entries."""
    debits = sum(cents for _account, debit, cents in entries if debit)
    credits = sum(cents for _account, debit, cents in entries if not debit)
    if debits != credits:  # a bug here, never the caller's input
        raise AssertionError(f"unbalanced {kind}: debits {debits} != credits {credits}")
    db_session.flush()  # what the caller left pending goes first, as a query would flush it
    values = dict.fromkeys(_TRANSFER_COLUMNS)
    values.update(
        idempotency_key=key,
        command_digest=digest,
        kind=kind,
        currency=currency,
        amount=amount,
        created_at=now,
        **links,
    )
    connection = db_session.connection()
    transfer_id = connection.execute(_INSERT_TRANSFER, values).scalar_one()
    rows = {"transfer": transfer_id}
    for number, (account_id, debit, cents) in enumerate(entries):
        rows[f"account{number}"] = account_id
        rows[f"debit{number}"] = debit
        rows[f"amount{number}"] = cents
    inserted = connection.execute(_insert_entries(len(entries)), rows).all()
    # Into the session as though read, the entries with the transfer: no flush, no query
    # to read them back.
    transfer = Transfer(id=transfer_id, **values)
    make_transient_to_detached(transfer)
    written = []
    for row in sorted(inserted, key=lambda row: row.id):
        entry = Entry(**row._asdict())
        make_transient_to_detached(entry)
        written.append(entry)
    set_committed_value(transfer, "entries", written)
    db_session.add(transfer)
    db_session.add_all(written)
    return transfer
