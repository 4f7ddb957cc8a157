"""The ledger's tables. Transfers and entries are written once and never changed or
deleted (the service only inserts; the migration adds triggers that refuse UPDATE and
DELETE on both databases). A hold's state is the one thing that changes, in its own table,
from `pending` exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.database import Base, UTCDateTime

ACCOUNT_KINDS = (
    "customer_spending",
    "expert_earnings",
    "platform_fees",
    "tax",
    "provider",
    "holds",
)
TRANSFER_KINDS = ("authorise", "post", "void", "expire", "refund", "payout")
HOLD_STATES = ("pending", "posted", "voided", "expired")


class Account(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{kind}'" for kind in ACCOUNT_KINDS) + ")", name="kind"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(120), unique=True)  # customer:42:spending:CHF
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Transfer(Base):
    """One movement: a balanced set of entries. `hold_id` names the hold a post, void or
    expiry resolves (unique: a hold resolves once); `reverses_id` the post a refund
    reverses."""

    __tablename__ = "ledger_transfers"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{kind}'" for kind in TRANSFER_KINDS) + ")", name="kind"
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    command_digest: Mapped[str] = mapped_column(String(64))  # sha256 of the command
    kind: Mapped[str] = mapped_column(String(10))
    currency: Mapped[str] = mapped_column(String(3))
    # authorise: the hold; post: captured; void/expire: released; refund: refunded.
    amount: Mapped[int] = mapped_column(BigInteger)
    hold_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True, nullable=True
    )
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), index=True, nullable=True
    )
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    actor_staff_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    entries: Mapped[list[Entry]] = relationship(order_by="Entry.id", lazy="selectin", viewonly=True)


class Entry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True
    )
    debit: Mapped[bool] = mapped_column(Boolean)  # False: a credit
    amount: Mapped[int] = mapped_column(BigInteger)


class Hold(Base):
    """An authorised maximum, waiting to be posted, voided or to expire. `transfer_id` is
    its `authorise` transfer; `state` leaves `pending` once, by a conditional UPDATE."""

    __tablename__ = "ledger_holds"
    __table_args__ = (
        CheckConstraint(
            "state IN (" + ", ".join(f"'{state}'" for state in HOLD_STATES) + ")", name="state"
        ),
    )

    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_accounts.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    state: Mapped[str] = mapped_column(String(10), default="pending")
