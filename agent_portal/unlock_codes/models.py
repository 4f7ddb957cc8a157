"""Tables of the unlock codes domain: one-time codes agents issue, and the offline codes of
devices agents read out (and the devices' reports of using them)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class CodeStatus(enum.StrEnum):
    OPEN = "open"
    USED = "used"
    REVOKED = "revoked"
    EXPIRED = "expired"


class UnlockCode(Base):
    """An 8-digit code an agent read out to one customer. Only a keyed hash of the code and
    the row's id is kept (`ServerKeys.fingerprint`)."""

    __tablename__ = "unlock_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    issued_by_name: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_device_id: Mapped[str | None] = mapped_column(String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_name: Mapped[str | None] = mapped_column(String(200))

    def status(self, now: datetime) -> CodeStatus:
        if self.used_at is not None:
            return CodeStatus.USED
        if self.revoked_at is not None:
            return CodeStatus.REVOKED
        if self.expires_at <= now:
            return CodeStatus.EXPIRED
        return CodeStatus.OPEN


class OfflineCode(Base):
    """The offline code of one device and time step: shown to an agent, used on the device,
    or both. A use reported without a matching show stands out in the audit."""

    __tablename__ = "offline_codes"
    __table_args__ = (UniqueConstraint("device_id", "time_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    # No foreign key: the record stays when the device is unlinked.
    device_id: Mapped[str] = mapped_column(String(36))
    time_step: Mapped[int] = mapped_column(Integer)
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shown_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL")
    )
    shown_by_name: Mapped[str | None] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
