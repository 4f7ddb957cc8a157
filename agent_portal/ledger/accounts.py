"""The ledger's accounts, made on demand, each under a stable code that says whose it is,
what for and in which currency:

- `customer:<id>:spending:<CUR>`: what the customer spent (debit) and got back (credit);
  its holds are debited here when made, so its balance counts them at once;
- `expert:<id>:earnings:<CUR>`: the expert's shares of captures;
- `platform:fees:<CUR>`, `platform:tax:<CUR>`: the platform's fee and the tax on captures;
- `provider:<name>:<CUR>`: a payment provider's side; `provider:isp_bill:<CUR>` is the
  built-in one, the customer's monthly ISP bill;
- `ledger:holds:<CUR>`: the other side of every open hold (its balance is their sum).

A balance is debits minus credits, recomputed from the entries (`balance`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from agent_portal.database import insert_if_missing
from agent_portal.ledger.errors import InvalidCurrency, UnknownAccount
from agent_portal.ledger.models import Account, Entry
from agent_portal.ledger.money import check_currency

ISP_BILL = "isp_bill"


def customer_spending(customer_id: int | str, currency: str) -> str:
    return f"customer:{customer_id}:spending:{check_currency(currency)}"


def expert_earnings(expert_id: int | str, currency: str) -> str:
    return f"expert:{expert_id}:earnings:{check_currency(currency)}"


def platform_fees(currency: str) -> str:
    return f"platform:fees:{check_currency(currency)}"


def platform_tax(currency: str) -> str:
    return f"platform:tax:{check_currency(currency)}"


def provider(currency: str, name: str = ISP_BILL) -> str:
    return f"provider:{name}:{check_currency(currency)}"


def holds(currency: str) -> str:
    return f"ledger:holds:{check_currency(currency)}"


def parse(code: str) -> tuple[str, str]:
    """(kind, currency) of a well-formed code; UnknownAccount for anything else."""
    parts = code.split(":") if isinstance(code, str) else []
    kinds = {
        ("customer", 4, "spending"): "customer_spending",
        ("expert", 4, "earnings"): "expert_earnings",
        ("platform", 3, "fees"): "platform_fees",
        ("platform", 3, "tax"): "tax",
        ("ledger", 3, "holds"): "holds",
    }
    if len(parts) in (3, 4) and all(parts):
        kind = kinds.get((parts[0], len(parts), parts[2 if len(parts) == 4 else 1]))
        if parts[0] == "provider" and len(parts) == 3:
            kind = "provider"
        if kind is not None:
            try:
                return kind, check_currency(parts[-1])
            except InvalidCurrency:
                pass
    raise UnknownAccount(f"{code!r} is not an account code the ledger knows.")


def get_or_create(*, db_session: Session, code: str, now: datetime) -> Account:
    """The account with this code, made now if it is new (two callers making the same
    account at once both get the one row)."""
    found = db_session.scalar(select(Account).where(Account.code == code))
    if found is not None:
        return found
    kind, currency = parse(code)
    insert_if_missing(
        db_session, Account, ["code"], code=code, kind=kind, currency=currency, created_at=now
    )
    return db_session.scalars(select(Account).where(Account.code == code)).one()


def get_or_create_many(
    *, db_session: Session, codes: list[str], now: datetime, ids: tuple[int, ...] = ()
) -> tuple[dict[str, Account], dict[int, Account]]:
    """The accounts with these codes (those new made now, as `get_or_create` makes them)
    and those with these ids, in one query when all exist: by code and by id."""
    wanted = sorted(set(codes))
    condition = Account.code.in_(wanted)
    if ids:
        condition = condition | Account.id.in_(sorted(set(ids)))
    found = list(db_session.scalars(select(Account).where(condition)))
    by_code = {account.code: account for account in found if account.code in wanted}
    by_id = {account.id: account for account in found}
    for code in wanted:
        if code not in by_code:
            by_code[code] = get_or_create(db_session=db_session, code=code, now=now)
    return by_code, by_id


def find(*, db_session: Session, code: str) -> Account | None:
    return db_session.scalar(select(Account).where(Account.code == code))


def balance(*, db_session: Session, code: str) -> int:
    """Debits minus credits of the account, from its entries (0 for an account not made)."""
    signed = case((Entry.debit, Entry.amount), else_=-Entry.amount)
    total = db_session.scalar(
        select(func.coalesce(func.sum(signed), 0))
        .join(Account, Account.id == Entry.account_id)
        .where(Account.code == code)
    )
    return int(total)
