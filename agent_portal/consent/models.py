"""Tables of consent: each request (who asks, whom, what kind, why, until when, its status
and the grant's scope) and its record, one row per step with time and actor.

The actor is kept as the audit log keeps it, its kind and its name as it was (the agent's
name, the device's name), so the record reads the same after an account or a device is
gone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.consent.states import ACTOR_KINDS, KINDS, RECORD_EVENTS, STATUSES
from agent_portal.customers.models import Customer, Device
from agent_portal.database import Base, UTCDateTime
from isp_common.consent_wire import EndReason

END_REASONS = tuple(reason.value for reason in EndReason)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class ConsentRequest(Base):
    __tablename__ = "consent_requests"
    __table_args__ = (
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("end_reason", END_REASONS), name="end_reason"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    # Kept as shown to the customer, so the record still names the agent if the account goes.
    requested_by_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500), default="")
    # What is asked for (a report's categories), narrowed by the customer's choice when
    # granted (one window rather than the whole screen).
    scope: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The consent this one requires to be active (control: its screen view).
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), index=True)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer_by: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lasts_seconds: Mapped[int | None] = mapped_column(Integer)  # a grant's length; None: open
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set when granted
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    device: Mapped[Device] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")


class ConsentEvent(Base):
    """The record: every step of a consent, with time and actor."""

    __tablename__ = "consent_events"
    __table_args__ = (
        CheckConstraint(_one_of("event", RECORD_EVENTS), name="event"),
        CheckConstraint(_one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consent_id: Mapped[str] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(12))
    # The customer's choice for a grant, the reason for an end.
    detail: Mapped[str | None] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
