"""What screen sharing keeps beside a screen view's consent: the conversation it was asked
in (it ends when that conversation closes) and the relay stream its picture travels on
while it is granted (any worker can close the stream with this)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class ScreenView(Base):
    __tablename__ = "screen_views"

    consent_id: Mapped[str] = mapped_column(
        ForeignKey("consent_requests.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # The open relay stream: its id, the device's connection that sends on it and the
    # tabs that receive it; all None while none is open.
    stream_id: Mapped[int | None] = mapped_column(BigInteger)
    sender: Mapped[str | None] = mapped_column(String(32), index=True)
    receivers: Mapped[list[str] | None] = mapped_column(JSON)
    stream_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
