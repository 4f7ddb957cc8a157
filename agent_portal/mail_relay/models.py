"""Tables of the mail relay.

A conversation is relayed when it has a `RelayedConversation` row (its opt-in, with an
optional subject for the mails); each participant (the customer, and the staff members who
write there) has a `RelayParticipant` row with the token of their own reply address and how
far their copies have gone (`relayed_seq`: every message up to this number was queued for
them, or was theirs, or a system message).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import Conversation
from agent_portal.database import Base, UTCDateTime

ROLES = ("customer", "staff")


class RelayedConversation(Base):
    __tablename__ = "mail_relay_conversations"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    # The mails' subject; None: one made from the conversation's topic.
    subject: Mapped[str | None] = mapped_column(String(200))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime)

    conversation: Mapped[Conversation] = relationship(lazy="joined")


class RelayParticipant(Base):
    __tablename__ = "mail_relay_participants"
    __table_args__ = (
        CheckConstraint("role IN ('customer', 'staff')", name="role"),
        CheckConstraint(
            "(role = 'customer' AND staff_id IS NULL) OR (role = 'staff' AND staff_id IS NOT NULL)",
            name="staff_for_staff",
        ),
        UniqueConstraint("conversation_id", "role", "staff_id", name="uq_mail_relay_participant"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("mail_relay_conversations.conversation_id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    # 128 random bits, in lower-case base32: the reply address `r-<token>@<relay domain>`.
    # Unique, so its index finds the participant of an incoming mail.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    relayed_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    relayed: Mapped[RelayedConversation] = relationship(lazy="joined")
    staff: Mapped[StaffMember | None] = relationship(lazy="joined")
