"""Service functions of the customers domain: read, create or update, erase, search, and
add devices. Plain functions with keyword-only arguments; they return None when nothing is
found, flush and never commit: the route or command that called them commits (the CSV
import commits in batches, see `importer`).

Erasure (what `DELETE /api/v1/provisioning/customers/{account_number}` does): the customer's
personal data goes, the account number stays. Name and e-mail are cleared, the subscription
and all devices (device names like "Erika's laptop", public keys) are deleted, and the row is
marked `erased_at`. What stays is the ISP's own account number and the row's timestamps, a
pseudonym the ISP already holds. Why not delete the row: unlock codes, diagnostics, chats,
paid sessions and the ledger refer to the customer, and the audit trail and the bookkeeping
(which the law requires to be kept for years) must keep pointing at the same account rather
than vanish with it or dangle. An erased customer is unknown to the API and the portal (404,
missing from search); provisioning the same account number again starts a fresh record.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from agent_portal.customers.models import Customer, Device, Platform, Subscription
from agent_portal.customers.schemas import CustomerIn, end_of_validity
from agent_portal.database import utcnow

SEARCH_LIMIT = 50
DEVICE_NAME_MAX = 100  # the column's size

# What other domains keep about a customer and must forget on erasure (e.g. the sign-in
# password): each hook runs inside the erasure's transaction. See `add_erase_hook`.
ERASE_HOOKS: list[Callable[[Session, Customer], None]] = []


def add_erase_hook(hook: Callable[[Session, Customer], None]) -> None:
    if hook not in ERASE_HOOKS:
        ERASE_HOOKS.append(hook)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Saved:
    customer: Customer
    outcome: Outcome


def get(
    *, db_session: Session, account_number: str, include_erased: bool = False
) -> Customer | None:
    """The customer with this account number (any case), devices and subscription loaded;
    None if unknown or erased (unless `include_erased`)."""
    statement = (
        select(Customer)
        .where(Customer.account_number == account_number.strip().upper())
        .options(joinedload(Customer.subscription), selectinload(Customer.devices))
    )
    customer = db_session.scalars(statement).one_or_none()
    if customer is None or (customer.is_erased and not include_erased):
        return None
    return customer


def save(
    *,
    db_session: Session,
    account_number: str,
    customer_in: CustomerIn,
    time_zone: str,
    now: datetime | None = None,
) -> Saved:
    """Creates or updates the customer and subscription. Saving what is already stored
    changes nothing, not even `updated_at`. `account_number` must be normalised
    (`schemas.normalise_account_number`); a `valid_until` date ends in `time_zone`."""
    now = now or utcnow()
    valid_until = end_of_validity(customer_in.subscription.valid_until, time_zone)
    customer = get(db_session=db_session, account_number=account_number, include_erased=True)
    if customer is None:
        try:
            # A savepoint, so that losing a race with a concurrent create of the same
            # account number leaves the outer transaction usable for the update below.
            with db_session.begin_nested():
                customer = Customer(account_number=account_number, created_at=now)
                _apply(customer, customer_in, valid_until, now)
                db_session.add(customer)
        except IntegrityError:
            customer = get(db_session=db_session, account_number=account_number)
            if customer is None:
                raise
        else:
            return _finish(db_session, customer, Outcome.CREATED)
    if customer.is_erased:
        _apply(customer, customer_in, valid_until, now)
        customer.erased_at = None
        return _finish(db_session, customer, Outcome.CREATED)
    if _matches(customer, customer_in, valid_until):
        return Saved(customer, Outcome.UNCHANGED)
    _apply(customer, customer_in, valid_until, now)
    return _finish(db_session, customer, Outcome.UPDATED)


def _matches(customer: Customer, customer_in: CustomerIn, valid_until: datetime | None) -> bool:
    subscription = customer.subscription
    return (
        customer.name == customer_in.name
        and customer.email == customer_in.email
        and customer.language == customer_in.language.value
        and customer.monthly_spending_limit == customer_in.monthly_spending_limit
        and subscription is not None
        and subscription.tier == customer_in.subscription.tier.value
        and subscription.valid_until == valid_until
    )


def _apply(
    customer: Customer, customer_in: CustomerIn, valid_until: datetime | None, now: datetime
) -> None:
    customer.name = customer_in.name
    customer.name_search = customer_in.name.casefold()
    customer.email = customer_in.email
    customer.language = customer_in.language.value
    customer.monthly_spending_limit = customer_in.monthly_spending_limit
    if customer.subscription is None:
        customer.subscription = Subscription()
    customer.subscription.tier = customer_in.subscription.tier.value
    customer.subscription.valid_until = valid_until
    customer.updated_at = now


def _finish(db_session: Session, customer: Customer, outcome: Outcome) -> Saved:
    db_session.flush()
    return Saved(customer, outcome)


def erase(
    *, db_session: Session, account_number: str, now: datetime | None = None
) -> Customer | None:
    """Erases the customer's personal data (see the module docstring); None if unknown or
    already erased."""
    customer = get(db_session=db_session, account_number=account_number)
    if customer is None:
        return None
    now = now or utcnow()
    customer.name = None
    customer.name_search = None
    customer.email = None
    customer.subscription = None  # delete-orphan: the row goes
    customer.devices.clear()
    for hook in ERASE_HOOKS:
        hook(db_session, customer)
    customer.erased_at = now
    customer.updated_at = now
    db_session.flush()
    return customer


def search(*, db_session: Session, query: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Customers whose account number is or starts with the query, or whose name or e-mail
    contains it, ignoring case. An exact account number comes first, then by name."""
    text = " ".join(query.split())
    if not text:
        return []
    folded = text.casefold()
    number = text.upper()
    statement = (
        select(Customer)
        .where(
            Customer.erased_at.is_(None),
            Customer.account_number.startswith(number, autoescape=True)
            | Customer.name_search.contains(folded, autoescape=True)
            | Customer.email.contains(folded, autoescape=True),
        )
        .options(selectinload(Customer.subscription))
        .order_by(
            (Customer.account_number != number), Customer.name_search, Customer.account_number
        )
        .limit(limit)
    )
    return list(db_session.scalars(statement))


def add_device(
    *,
    db_session: Session,
    customer: Customer,
    name: str,
    platform: Platform,
    public_key: str | None = None,
    linked_at: datetime | None = None,
    last_seen_at: datetime | None = None,
) -> Device:
    """Records a linked device. The device limit is the linking flow's to enforce
    (`tiers.subscription_status(...).device_limit`), so demo data may exceed it.
    ValueError for an empty or too long name or an unknown platform."""
    name = name.strip()
    if not 1 <= len(name) <= DEVICE_NAME_MAX:
        raise ValueError(f"a device name has 1 to {DEVICE_NAME_MAX} characters")
    device = Device(
        name=name,
        platform=Platform(platform).value,
        public_key=public_key,
        linked_at=linked_at or utcnow(),
        last_seen_at=last_seen_at,
    )
    customer.devices.append(device)
    db_session.flush()
    return device
