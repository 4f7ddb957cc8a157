"""The outbox: each e-mail is stored before it is sent and kept with its outcome.

A worker about to send a mail claims it first (`claim_id`, its round's id) and moves
`next_attempt_at` to when its claim runs out: no other worker picks the mail up meanwhile,
and should the worker die, the mail is due again then."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class OutboundEmail(Base):
    __tablename__ = "outbound_emails"
    __table_args__ = (CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), index=True, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claim_id: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL")
    )
    # Relayed conversations (`mail_relay`): the name shown beside the portal's own address
    # in From, and the address a reply goes to. None: the portal's address alone, and
    # replies go to it.
    from_name: Mapped[str | None] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    # An appointment's iCalendar object (RFC 5545), sent as the attachment appointment.ics.
    calendar: Mapped[str | None] = mapped_column(Text)
    # A file sent with the mail (an invoice's PDF): its name, media type and content.
    attachment_name: Mapped[str | None] = mapped_column(String(100))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
