"""Job leases: which worker runs a job that must run in one worker only, and until when
its claim holds unless renewed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from agent_portal.database import Base, UTCDateTime


class JobLease(Base):
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))  # the worker's id (`LiveServices.worker_id`)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
