"""Billing's tables.

`billing_charges`: one line of the ISP bill per ledger transfer of a paid session that
moves the customer's money: the capture of its charge (`charge`), of its tip (`tip`), and
each refund of either (`refund`, a negative amount). A transfer becomes a line once
(`transfer_id` is unique). `position` is the feed's order: given out under the feed's
lock, one collection at a time, so a line committed later always has a higher position
than every line committed before it (see `service.collect`). `booked_at` is set when the
ISP's back end acknowledges the line, once.

`billing_feed`: one row, the next position; the collection's lock (an UPDATE of it).

`billing_disputes`: a customer's objection to a paid session (one per session), raised
from their assistant with a reason, resolved once by an admin: `refunded` (the admin
refunded on the session's page) or `rejected`, with a note the customer may be told.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime

CHARGE_KINDS = ("charge", "tip", "refund")
DISPUTE_RESOLUTIONS = ("refunded", "rejected")


class BillingCharge(Base):
    __tablename__ = "billing_charges"
    __table_args__ = (
        CheckConstraint("kind IN ('charge', 'tip', 'refund')", name="kind"),
        CheckConstraint(
            "(kind = 'refund' AND amount < 0) OR (kind <> 'refund' AND amount > 0)",
            name="amount_sign",
        ),
        CheckConstraint("position > 0", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, unique=True)
    transfer_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transfers.id", ondelete="RESTRICT"), unique=True
    )
    paid_session_id: Mapped[int] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="RESTRICT"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units; negative for a refund
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the transfer's time
    collected_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    booked_by_api_key_id: Mapped[int | None] = mapped_column(Integer)


class BillingFeed(Base):
    __tablename__ = "billing_feed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_position: Mapped[int] = mapped_column(BigInteger)


class BillingDispute(Base):
    __tablename__ = "billing_disputes"
    __table_args__ = (
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('refunded', 'rejected')", name="resolution"
        ),
        CheckConstraint(
            "(resolved_at IS NULL) = (resolution IS NULL)", name="resolved_with_resolution"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    paid_session_id: Mapped[int] = mapped_column(
        ForeignKey("paid_sessions.id", ondelete="RESTRICT"), unique=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="RESTRICT"), index=True
    )
    device_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(1000))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolution_note: Mapped[str | None] = mapped_column(String(1000))
