"""Writing to and reading from the audit log.

`record` adds an entry to the caller's transaction without committing, so an entry is
stored exactly when the change it describes is. Each domain names its events (a `StrEnum`
whose values are stored) and how the log words them: `audit_events` in its `domain.py`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.models import AuditEntry
from agent_portal.customers.models import Device

PAGE_SIZE = 50


@dataclass(frozen=True)
class Actor:
    kind: str
    name: str
    staff_id: int | None = None

    @classmethod
    def staff(cls, member) -> Actor:
        return cls("staff", member.name, member.id)

    @classmethod
    def device(cls, device) -> Actor:
        return cls("device", device.name)

    @classmethod
    def customer(cls, customer) -> Actor:
        """The customer themselves, e.g. releasing a computer after signing in."""
        return cls("customer", customer.name or customer.account_number)

    @classmethod
    def api_key(cls, api_key) -> Actor:
        return cls("api_key", api_key.name)

    @classmethod
    def system(cls) -> Actor:
        return cls("system", "")

    @classmethod
    def anonymous(cls) -> Actor:
        """Someone not logged in, e.g. trying to log in to the portal."""
        return cls("anonymous", "")


def record(
    *,
    db_session: Session,
    event: enum.StrEnum,
    actor: Actor,
    now: datetime,
    customer=None,
    account_number: str | None = None,
    device_id: str | None = None,
    address: str | None = None,
    **data: Any,
) -> None:
    # A plain insert, not an ORM object: entries are never read back in the same
    # transaction, and redeeming a code (which writes one) should stay cheap.
    db_session.execute(
        _INSERT,
        {
            "occurred_at": now,
            "event": event.value,
            "actor_kind": actor.kind,
            "actor_name": actor.name[:200],
            "staff_id": actor.staff_id,
            "customer_id": customer.id if customer is not None else None,
            "account_number": (customer.account_number if customer is not None else account_number),
            "device_id": device_id,
            "address": (address or None) and address[:64],
            "data": {name: _plain(value) for name, value in data.items()},
        },
    )


_INSERT = AuditEntry.__table__.insert()


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    number: int  # 1 is the newest page
    has_older: bool


def page(
    *,
    db_session: Session,
    number: int = 1,
    account_number: str | None = None,
    page_size: int = PAGE_SIZE,
) -> AuditPage:
    """One page of entries, newest first; only one customer's when `account_number`."""
    number = max(number, 1)
    statement = select(AuditEntry).order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    if account_number:
        statement = statement.where(AuditEntry.account_number == account_number.strip().upper())
    rows = list(db_session.scalars(statement.offset((number - 1) * page_size).limit(page_size + 1)))
    return AuditPage(entries=rows[:page_size], number=number, has_older=len(rows) > page_size)


def recorded_device_name(entry: AuditEntry) -> str | None:
    """The device's name as the entry recorded it at the time, if it did."""
    if entry.data.get("device_name"):
        return entry.data["device_name"]
    if entry.actor_kind == "device" and entry.actor_name:
        return entry.actor_name  # the device acted itself: its name then
    return None


def device_names(*, db_session: Session, entries: list[AuditEntry]) -> dict[str, str]:
    """A name for each device the entries name only by id: its name now or, for a device
    since unlinked, the last name an entry recorded for it. Devices never named anywhere
    are left out."""
    wanted = {entry.device_id for entry in entries if entry.device_id}
    names = (
        dict(db_session.execute(select(Device.id, Device.name).where(Device.id.in_(wanted))).all())
        if wanted
        else {}
    )
    gone = wanted - names.keys()
    if gone:
        earlier = select(AuditEntry).where(AuditEntry.device_id.in_(gone))
        for entry in db_session.scalars(earlier.order_by(AuditEntry.occurred_at)):
            name = recorded_device_name(entry)
            if name:
                names[entry.device_id] = name  # the newest recorded name wins
    return names


def entries_for(*, db_session: Session, event: enum.StrEnum | None = None) -> list[AuditEntry]:
    """Every entry (of one kind), oldest first: for checks and exports, not for pages."""
    statement = select(AuditEntry).order_by(AuditEntry.occurred_at, AuditEntry.id)
    if event is not None:
        statement = statement.where(AuditEntry.event == event.value)
    return list(db_session.scalars(statement))
