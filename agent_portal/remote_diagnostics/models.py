"""Tables of remote diagnostics: the requests, their log, and the reports that arrived.

A report is kept exactly as the assistant sent it (`report_json`, the wire format of
`isp_common.diagnostics.report.DiagnosticsReport`); the few columns beside it only serve
lists and ordering.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.customers.models import Customer, Device
from agent_portal.database import Base, UTCDateTime

STATUSES = ("pending", "allowed", "declined", "expired", "completed", "failed")
EVENTS = ("requested", "allowed", "declined", "expired", "report_received", "failed")
ACTOR_KINDS = ("staff", "device", "system")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class DiagnosticsRequest(Base):
    __tablename__ = "diagnostics_requests"
    __table_args__ = (CheckConstraint(_one_of("status", STATUSES), name="status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    # Kept as shown to the customer, so the log still names the agent if the account goes.
    requested_by_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    device: Mapped[Device] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")


class DiagnosticsEvent(Base):
    """The log: every request, answer, timeout and arrival, with time and actor.

    The actor is kept as the audit log keeps it: its kind and its name as it was (the
    agent's name, the device's name), so the log reads the same after an account or a
    device is gone."""

    __tablename__ = "diagnostics_events"
    __table_args__ = (
        CheckConstraint(_one_of("event", EVENTS), name="event"),
        CheckConstraint(_one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("diagnostics_requests.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class DiagnosticsReportRecord(Base):
    __tablename__ = "diagnostics_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[str] = mapped_column(
        ForeignKey("diagnostics_requests.id", ondelete="CASCADE"), unique=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    report_uuid: Mapped[str] = mapped_column(String(36))
    severity: Mapped[str | None] = mapped_column(String(10))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    report_json: Mapped[str] = mapped_column(Text, deferred=True)

    request: Mapped[DiagnosticsRequest] = relationship(lazy="joined")
    device: Mapped[Device] = relationship(lazy="joined")
