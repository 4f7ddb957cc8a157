"""The appointments table.

`starts_at` is UTC; `time_zone` is the expert's zone when proposing (what the expert
reads, and the zone of the calendar entry). `uid` names the calendar entry for good: the
same in the invitation and in its cancellation. `reminded_at` is set once, by the job
that sends the reminders, so a reminder goes out once whichever worker runs it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import Conversation
from agent_portal.customers.models import Customer
from agent_portal.database import Base, UTCDateTime

STATUSES = ("proposed", "accepted", "declined", "cancelled")
TERMS = ("per_minute", "fixed", "free")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(
            "status IN ('proposed', 'accepted', 'declined', 'cancelled')", name="status"
        ),
        CheckConstraint("terms IN ('per_minute', 'fixed', 'free')", name="terms"),
        CheckConstraint(
            "(terms = 'fixed') = (price IS NOT NULL AND price > 0)", name="fixed_price"
        ),
        CheckConstraint("duration_minutes > 0", name="duration"),
        CheckConstraint(
            "cancelled_by IS NULL OR cancelled_by IN ('customer', 'expert')", name="cancelled_by"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    expert_staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    time_zone: Mapped[str] = mapped_column(String(64))
    terms: Mapped[str] = mapped_column(String(20))
    price: Mapped[int | None] = mapped_column(Integer)  # fixed terms: minor units
    price_per_minute: Mapped[int | None] = mapped_column(Integer)  # per-minute terms
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    cancelled_by: Mapped[str | None] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # iCalendar SEQUENCE
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship()
    expert: Mapped[StaffMember] = relationship()
    customer: Mapped[Customer] = relationship()
