"""Live connections: one row per open WebSocket of a device or a portal tab, so every worker
(and every page) sees the same presence. A worker refreshes `seen_at` of its rows while it
lives; rows of a worker that died without closing them stop counting once `seen_at` is old.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class LiveConnection(Base):
    __tablename__ = "live_connections"
    __table_args__ = (
        CheckConstraint("kind IN ('staff', 'device')", name="kind"),
        CheckConstraint(
            "(kind = 'staff' AND staff_id IS NOT NULL AND device_id IS NULL) OR "
            "(kind = 'device' AND device_id IS NOT NULL AND staff_id IS NULL)",
            name="owner",
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    worker_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A portal tab's last input while visible; a device's last message.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
