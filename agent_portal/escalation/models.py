"""The offers of experts that hotline agents make in a chat (`escalation.service`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import StaffMember
from agent_portal.database import Base, UTCDateTime

OFFER_STATUSES = ("offered", "accepted", "declined", "withdrawn", "expired")


class ExpertOffer(Base):
    """One offer: made by the chat's agent, answered by the customer (accepted or
    declined), withdrawn by the agent while unanswered, or expired. `note` is the agent's
    internal note for the expert, never shown to the customer."""

    __tablename__ = "escalation_offers"
    __table_args__ = (
        CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'withdrawn', 'expired')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # The expert's public profile (`experts`), and their staff member when offered.
    expert_id: Mapped[int] = mapped_column(ForeignKey("expert_profiles.id", ondelete="CASCADE"))
    expert_staff_id: Mapped[int] = mapped_column(ForeignKey("staff_members.id", ondelete="CASCADE"))
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agent: Mapped[StaffMember | None] = relationship(foreign_keys=[agent_id], lazy="joined")
