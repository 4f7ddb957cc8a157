"""Tables of the customers domain: the ISP's customers, their subscription and their devices.

A customer is known by the ISP's account number (stored upper-case, so `k-1001` and `K-1001`
are one customer). Every customer has exactly one subscription row while their personal data
is kept; an erased customer keeps only the account number and the timestamps (see
`service.erase_customer` for why).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.database import Base, UTCDateTime, utcnow

# The tiers of the feature catalogue, which the entitlements name too.
from isp_common.features import Tier


class Language(enum.StrEnum):
    DE = "de"
    EN = "en"


class Platform(enum.StrEnum):
    WINDOWS = "windows"
    MACOS = "macos"
    LINUX = "linux"


def _allowed(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in values)})"


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint(_allowed("language", Language), name="language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_number: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    # Name and e-mail are None once the customer's personal data has been erased.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    # The name case-folded ("Müller" -> "müller", "Straße" -> "strasse"), kept by the service
    # functions: SQLite's lower() folds ASCII only, so searching needs a column of our own.
    name_search: Mapped[str | None] = mapped_column(String(200), index=True)
    language: Mapped[str] = mapped_column(String(2), default=Language.DE.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What paid sessions may hold per calendar month (portal time zone), in minor units of
    # the session's currency; None: the setting `monthly_spending_limit` applies.
    monthly_spending_limit: Mapped[int | None] = mapped_column(BigInteger)

    subscription: Mapped[Subscription | None] = relationship(
        back_populates="customer", cascade="all, delete-orphan", passive_deletes=True
    )
    devices: Mapped[list[Device]] = relationship(
        back_populates="customer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Device.linked_at",
    )

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (CheckConstraint(_allowed("tier", Tier), name="tier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), unique=True
    )
    tier: Mapped[str] = mapped_column(String(20), default=Tier.NONE.value)
    # The last moment the subscription is valid; None: no end date.
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="subscription")


def new_device_id() -> str:
    return str(uuid.uuid4())


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (CheckConstraint(_allowed("platform", Platform), name="platform"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_device_id)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(10))
    # The device's Ed25519 public key, bound when the assistant links; None until then.
    public_key: Mapped[str | None] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(back_populates="devices")
