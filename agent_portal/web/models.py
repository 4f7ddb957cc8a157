"""The table of the portal pages' own state: outcomes of forms waiting for the page the
form redirected to (`agent_portal.web.flash`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class PortalFlash(Base):
    """One outcome for one portal session and one page. `sealed` holds the kind and data,
    encrypted with a key only the session's cookie gives (see `agent_portal.web.flash`)."""

    __tablename__ = "portal_flashes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    portal_session_id: Mapped[int] = mapped_column(
        ForeignKey("portal_sessions.id", ondelete="CASCADE"), index=True
    )
    page: Mapped[str] = mapped_column(String(500))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Shown on the page's next GET and then deleted (once), or on every GET until then.
    show_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    once: Mapped[bool] = mapped_column(Boolean)
