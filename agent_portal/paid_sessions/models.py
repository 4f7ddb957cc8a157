"""The paid session: one per metered (or fixed-price) stretch of help in an expert's
conversation with a customer.

A session is proposed (by either side), started when the customer confirms a maximum
(the ledger holds it), may pause and resume, and ends once. Its money lives in the ledger
(`agent_portal.ledger`); the columns here say which transfers are the session's and keep
the figures both sides see in the summary, so pages, invoices and ratings read one row.

Amounts are integer minor units of `currency`:
- `amount`: what the meter showed at the end (per-minute) or the fixed price;
- `waived`: what the expert waived of it; `charged` = `amount - waived`, the capture;
- `tip`: the customer's tip or success fee, captured on a hold of its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime

SESSION_STATUSES = ("proposed", "running", "paused", "ended", "cancelled")
SESSION_TERMS = ("per_minute", "fixed")
# Per-minute billing: to the second, or each started minute in full (a setting).
BILLING_RULES = ("second", "started_minute")
PAUSE_REASONS = ("expert", "customer", "disconnected", "maximum")
PARTIES = ("expert", "customer")
HOLD_PURPOSES = ("charge", "tip")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class PaidSession(Base):
    __tablename__ = "paid_sessions"
    __table_args__ = (
        CheckConstraint(_one_of("status", SESSION_STATUSES), name="status"),
        CheckConstraint(_one_of("terms", SESSION_TERMS), name="terms"),
        CheckConstraint(_one_of("billing_rule", BILLING_RULES), name="billing_rule"),
        CheckConstraint(
            "paused_reason IS NULL OR " + _one_of("paused_reason", PAUSE_REASONS),
            name="paused_reason",
        ),
        CheckConstraint("ended_by IS NULL OR " + _one_of("ended_by", PARTIES), name="ended_by"),
        CheckConstraint("maximum >= 0 AND banked_seconds >= 0", name="meter"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint(
            "billed_seconds >= 0 AND amount >= 0 AND waived >= 0 AND tip >= 0 AND waived <= amount",
            name="figures",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="RESTRICT"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    expert_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="RESTRICT"), index=True
    )
    expert_profile_id: Mapped[int] = mapped_column(
        ForeignKey("expert_profiles.id", ondelete="RESTRICT"), index=True
    )
    # The topic the session is about (rated per topic); None when the category is gone.
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("expert_categories.id", ondelete="SET NULL"), index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL")
    )
    terms: Mapped[str] = mapped_column(String(12))
    price: Mapped[int] = mapped_column(BigInteger)  # per minute, or the fixed price
    currency: Mapped[str] = mapped_column(String(3))
    billing_rule: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10), index=True)
    proposed_by: Mapped[str] = mapped_column(String(10))  # "expert" or "customer"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    billed_seconds: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(BigInteger, default=0)
    waived: Mapped[int] = mapped_column(BigInteger, default=0)
    tip: Mapped[int] = mapped_column(BigInteger, default=0)
    # The ledger's post of the session's charge (None: nothing was charged) and of the tip.
    capture_transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    tip_transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    # The meter. Billed time is computed from these timestamps, never added up per tick,
    # so two ticks at once bill the same: `banked_seconds` of the stretches that ended plus,
    # while running, the time since `run_started_at`, never beyond `maximum`'s time.
    maximum: Mapped[int] = mapped_column(BigInteger, default=0)  # the sum of the charge holds
    banked_seconds: Mapped[int] = mapped_column(Integer, default=0)
    run_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paused_reason: Mapped[str | None] = mapped_column(String(12))
    resume_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # Since when a side is gone (the last moment both were seen); None: both are here.
    gone_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    both_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warned_for: Mapped[int | None] = mapped_column(BigInteger)  # the maximum last warned at
    ended_by: Mapped[str | None] = mapped_column(String(10))

    @property
    def charged(self) -> int:
        return self.amount - self.waived


class PaidSessionHold(Base):
    """One ledger hold of a session: the charge's (the maximum, and each raise) or the
    tip's. `resolved_transfer_id` is its post or void once the session ends, or its void
    when a session that outlasts a hold's lifetime replaced it by a new one (`renewed_at`;
    none when it had lapsed already)."""

    __tablename__ = "paid_session_holds"
    __table_args__ = (CheckConstraint(_one_of("purpose", HOLD_PURPOSES), name="purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="RESTRICT"), index=True
    )
    hold_transfer_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    purpose: Mapped[str] = mapped_column(String(8))
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_transfer_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaidSessionCommand(Base):
    """A command once done, by its sender and the `command_id` it chose: a repeat answers
    `result` (the first answer, as JSON), other content under the same id is refused."""

    __tablename__ = "paid_session_commands"
    __table_args__ = (UniqueConstraint("actor", "command_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor: Mapped[str] = mapped_column(String(40))  # "customer:<id>" or "staff:<id>"
    command_id: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="RESTRICT"), index=True
    )
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
