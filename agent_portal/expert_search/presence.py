"""An expert's status as search and the badge show it, read from the expert desk
(`agent_portal.expert_desk.availability`), the one source of an expert's status: online
only while a portal tab is open and used and the expert is neither away (by choice, for an
unanswered pre-chat, or idle tabs) nor busy (in a paid session); offline without a tab.
Busy and away experts are never "online": not first in a list, not under "online now",
not green on a badge. `unknown` is what a badge shows for no findable expert."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select
from sqlalchemy.orm import Session

from agent_portal.expert_desk import availability


class ExpertStatus(enum.StrEnum):
    online = "online"
    away = "away"
    busy = "busy"
    offline = "offline"
    unknown = "unknown"


def statuses(
    *, db_session: Session, staff_ids: Iterable[int], now: datetime, away_after: timedelta
) -> dict[int, ExpertStatus]:
    """Staff id -> status of each of `staff_ids`."""
    found = availability.statuses_by_staff(
        db_session=db_session, staff_ids=staff_ids, now=now, away_after=away_after
    )
    return {staff_id: ExpertStatus(status.value) for staff_id, status in found.items()}


def online_staff(*, now: datetime, away_after: timedelta) -> Select:
    """The staff ids of the experts online now, as a query a search orders by; only for
    staff ids of the index, which are all active experts' (`availability.online_staff_query`)."""
    return availability.online_staff_query(now=now, away_after=away_after)


def online_staff_params(*, now: datetime, away_after: timedelta) -> dict[str, datetime]:
    """The parameters of `online_staff` for another moment."""
    return availability.online_staff_params(now=now, away_after=away_after)


def status_of(
    *, db_session: Session, staff_id: int, now: datetime, away_after: timedelta
) -> ExpertStatus:
    found = availability.status_of_staff(
        db_session=db_session, staff_id=staff_id, now=now, away_after=away_after
    )
    return ExpertStatus(found.value)
