"""The reports that arrived for remote diagnostics. The request for each, its answer and
its record are a consent of the kind report (`agent_portal.consent`).

A report is kept exactly as the assistant sent it (`report_json`, the wire format of
`isp_common.diagnostics.report.DiagnosticsReport`); the few columns beside it only serve
lists and ordering.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.consent.models import ConsentRequest
from agent_portal.customers.models import Device
from agent_portal.database import Base, UTCDateTime


class DiagnosticsReportRecord(Base):
    __tablename__ = "diagnostics_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The consent the report was sent under.
    request_id: Mapped[str] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), unique=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    report_uuid: Mapped[str] = mapped_column(String(36))
    severity: Mapped[str | None] = mapped_column(String(10))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    report_json: Mapped[str] = mapped_column(Text, deferred=True)

    request: Mapped[ConsentRequest] = relationship(lazy="joined")
    device: Mapped[Device] = relationship(lazy="joined")
