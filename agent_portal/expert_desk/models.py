"""Tables of the expert's desk.

`ExpertAvailability` holds what the expert's open portal tabs cannot say: away (chosen in
the portal, or set by the installation when a pre-chat went unanswered) and busy (in a
paid session). An expert without a row is neither. Whether a tab is open and used is
the staff presence of `realtime.presence`; `expert_desk.availability` combines both.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime

AWAY_REASONS = ("chosen", "unanswered")


class ExpertAvailability(Base):
    __tablename__ = "desk_availability"
    __table_args__ = (
        CheckConstraint(
            "away_reason IS NULL OR away_reason IN ('chosen', 'unanswered')", name="away_reason"
        ),
    )

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True
    )
    away: Mapped[bool] = mapped_column(Boolean, default=False)
    away_reason: Mapped[str | None] = mapped_column(String(20))
    busy_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
