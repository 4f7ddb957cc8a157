"""The audit log's table: one row per event, written once and never changed.

Rows keep the names as they were (the agent's name, the account number, the device id)
rather than only references, so the log still says who did what after an agent's account
is deactivated, a device is unlinked or a customer's personal data is erased.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    event: Mapped[str] = mapped_column(String(40))
    # Who acted: "staff" (name of the agent), "device" (the customer's assistant),
    # "api_key" (the ISP's back end), "system" or "anonymous" (e.g. a failed portal login).
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_name: Mapped[str] = mapped_column(String(200))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    account_number: Mapped[str | None] = mapped_column(String(20))
    device_id: Mapped[str | None] = mapped_column(String(36))
    address: Mapped[str | None] = mapped_column(String(64))
    # The event's particulars, e.g. {"code_id": 12, "issued_by": "Anna Berger"}.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
