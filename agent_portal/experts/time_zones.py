"""The expert's own time zone: an IANA name (`zoneinfo` must know it), kept on the
profile (`ExpertProfile.time_zone`); until the expert chooses one, the portal's
(`PORTAL_TIME_ZONE`). The appointment form starts in it and the expert's pages show their
appointments in it, the zone named.

    time_zone_of(db_session=, staff_id=, default="Europe/Berlin") -> "Europe/Zurich"
    set_time_zone(db_session=, staff=, time_zone="Europe/Zurich", now=)   # UnknownTimeZone
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.experts.errors import UnknownTimeZone
from agent_portal.experts.models import ExpertProfile

ZONE_MAX = 64


@cache
def zone_names() -> tuple[str, ...]:
    """The zones to choose from, sorted."""
    return tuple(sorted(available_timezones()))


def checked(name: str) -> str:
    """The name, without the spaces around it, when zoneinfo knows it; UnknownTimeZone
    otherwise (an empty name, a path, an abbreviation such as "CET" not in the list)."""
    name = name.strip()
    if not name or len(name) > ZONE_MAX or name not in zone_names():
        raise UnknownTimeZone(name[:ZONE_MAX])
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownTimeZone(name) from None
    return name


def time_zone_of(*, db_session: Session, staff_id: int, default: str) -> str:
    zone = db_session.scalar(
        select(ExpertProfile.time_zone).where(ExpertProfile.staff_id == staff_id)
    )
    return zone or default


def set_time_zone(
    *, db_session: Session, staff: StaffMember, time_zone: str, now: datetime
) -> ExpertProfile:
    """Keeps the expert's zone (a profile is begun when the expert has none yet: not
    approved, so customers see nothing of it)."""
    zone = checked(time_zone)
    profile = db_session.scalar(select(ExpertProfile).where(ExpertProfile.staff_id == staff.id))
    if profile is None:
        profile = ExpertProfile(staff_id=staff.id, created_at=now, display_name=staff.name)
        db_session.add(profile)
    profile.time_zone = zone
    db_session.flush()
    return profile
