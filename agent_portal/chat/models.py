"""Tables of the chat domain.

A conversation numbers its messages 1, 2, 3…: `Conversation.last_seq` is the counter, raised
in the same transaction that stores the message, and (conversation, seq) is unique, so two
messages never share a number even when sent at the same moment. A sender's own id for a
message (`client_msg_id`) is unique per conversation too: sending it again stores nothing
new and answers the stored message's number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Customer
from agent_portal.database import Base, UTCDateTime

STATUSES = ("queued", "active", "ticket", "answered", "closed")
SENDERS = ("customer", "agent", "system")
# What a conversation is for: the hotline's live help (routed to agents by topic), or a
# customer's free first chat with one expert (`expert_desk`), never routed.
KINDS = ("hotline", "expert_prechat")
TOPICS = ("internet", "wifi", "email", "computer", "security", "contract")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class AgentTopic(Base):
    """A topic an agent takes chats on (their skill)."""

    __tablename__ = "agent_topics"
    __table_args__ = (CheckConstraint(_one_of("topic", TOPICS), name="topic"),)

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(20), primary_key=True)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="status"),
        CheckConstraint(_one_of("topic", TOPICS), name="topic"),
        CheckConstraint(_one_of("kind", KINDS), name="kind"),
        # The first message's id: starting again after a lost answer finds this one.
        UniqueConstraint("customer_id", "start_key", name="uq_conversations_start_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    device_id: Mapped[str | None] = mapped_column(
        ForeignKey("devices.id", ondelete="SET NULL"), index=True
    )
    topic: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="hotline", server_default="hotline")
    status: Mapped[str] = mapped_column(String(10), index=True)
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL"), index=True
    )
    start_key: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Order in the queue; a conversation handed to a queue keeps its first place in line.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer: Mapped[Customer] = relationship(lazy="joined")
    agent: Mapped[StaffMember | None] = relationship(lazy="joined")


class ChatAttachment(Base):
    __tablename__ = "chat_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ChatMessage(Base):
    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq", name="uq_chat_messages_seq"),
        UniqueConstraint("conversation_id", "client_msg_id", name="uq_chat_messages_client_msg_id"),
        CheckConstraint(_one_of("sender", SENDERS), name="sender"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    client_msg_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_attachments.id", ondelete="SET NULL")
    )
    # System messages: what happened, so each side words it in its reader's language.
    event: Mapped[str | None] = mapped_column(String(20))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    staff: Mapped[StaffMember | None] = relationship(lazy="joined")
    attachment: Mapped[ChatAttachment | None] = relationship(lazy="joined")


class ConversationNote(Base):
    """Staff-only: a handover's internal note (who to whom, why). Never sent to the customer."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    to_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    to_topic: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author: Mapped[StaffMember | None] = relationship(foreign_keys=[author_id], lazy="joined")
    to_staff: Mapped[StaffMember | None] = relationship(foreign_keys=[to_staff_id], lazy="joined")
