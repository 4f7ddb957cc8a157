"""Tables of the staff and auth domain: staff members, their portal sessions and the API keys
of the ISP's back end (failed logins are counted in `agent_portal.attempts`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from agent_portal.database import Base, UTCDateTime, utcnow

ROLES = ("agent", "expert", "admin")
EXPERT_ROLE = "expert"


class StaffMember(Base):
    __tablename__ = "staff_members"
    __table_args__ = (CheckConstraint("role IN ('agent', 'expert', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored in lower case, so "Anna" and "anna" are one account.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    # Where relayed conversations (`mail_relay`) send this member's copies; optional, and
    # never shown to customers (they write to the conversation's reply address).
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Set with an initial password (from an admin): the member chooses their own before
    # any other page opens to them.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def name(self) -> str:
        """The name to show people: the display name, else the user name."""
        return self.display_name or self.username


class PortalSession(Base):
    """A logged-in browser. Only a hash of the cookie's token is kept, so a copy of the
    database does not let anyone take over a session."""

    __tablename__ = "portal_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff_members.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    staff: Mapped[StaffMember] = relationship(lazy="joined")


class ApiKey(Base):
    """A key of the ISP's back end for the provisioning API. The key itself is shown once;
    only its SHA-256 hash and a short prefix (to tell keys apart in lists) are kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_members.id", ondelete="SET NULL"), nullable=True
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
