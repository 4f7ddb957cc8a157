"""An expert's status as customers see it, read from the staff presence of the live
channel (`agent_portal.realtime.presence`): online while a portal tab is open and used,
away while tabs are open but idle, offline otherwise. "busy" (in a paid session) comes
with the sessions; `unknown` is what a badge shows for no findable expert."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agent_portal.realtime import presence


class ExpertStatus(enum.StrEnum):
    online = "online"
    away = "away"
    busy = "busy"
    offline = "offline"
    unknown = "unknown"


def statuses(
    *, db_session: Session, now: datetime, away_after: timedelta
) -> dict[int, ExpertStatus]:
    """Staff id -> status of everyone with an open tab; whoever is missing is offline."""
    found = presence.staff_statuses(db_session=db_session, now=now, away_after=away_after)
    return {staff_id: ExpertStatus(status.value) for staff_id, status in found.items()}


def status_of(
    *, db_session: Session, staff_id: int, now: datetime, away_after: timedelta
) -> ExpertStatus:
    found = presence.staff_status(
        db_session=db_session, staff_id=staff_id, now=now, away_after=away_after
    )
    return ExpertStatus(found.value)
