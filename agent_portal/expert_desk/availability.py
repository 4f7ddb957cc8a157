"""An expert's availability: online only while a portal tab is open and used (the staff
presence of `realtime.presence`) and neither away nor busy.

    status      when
    offline     no portal tab open
    busy        in a paid session (`set_busy` … `clear_busy`)
    away        away by choice (`set_away`), for an unanswered pre-chat (the job of
                `expert_desk.flows`), or the tabs are idle (staff presence "away")
    online      otherwise: the customer's message is answered now

Busy and away experts are not offered as online. Plain functions on a database session
that flush and never commit.

Towards customers an expert is named by `expert_id`, the id of their profile
(`experts.service`); `statuses` and `online_expert_ids` take and give those. The functions
ending in `_of_staff` / `_by_staff` work on staff ids (the portal's side, the setters).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from agent_portal.auth.models import EXPERT_ROLE, StaffMember
from agent_portal.database import insert_if_missing
from agent_portal.expert_desk.models import ExpertAvailability
from agent_portal.experts.models import ExpertProfile
from agent_portal.realtime import presence
from agent_portal.realtime.models import LiveConnection
from isp_common.expert_desk_wire import ExpertStatus


def _row(db_session: Session, staff_id: int, now: datetime) -> ExpertAvailability:
    row = db_session.get(ExpertAvailability, staff_id)
    if row is None:
        # Two of the expert's sessions may start at once: both make the row, one inserts it.
        insert_if_missing(
            db_session,
            ExpertAvailability,
            ["staff_id"],
            staff_id=staff_id,
            away=False,
            changed_at=now,
        )
        row = db_session.get(ExpertAvailability, staff_id)
    return row


def set_away(*, db_session: Session, staff_id: int, now: datetime, reason: str = "chosen") -> None:
    """Away until `set_online`: `reason` chosen (in the portal) or unanswered (the job)."""
    row = _row(db_session, staff_id, now)
    row.away, row.away_reason, row.changed_at = True, reason, now
    db_session.flush()


def set_online(*, db_session: Session, staff_id: int, now: datetime) -> None:
    """Back from away (the expert's own choice in the portal)."""
    row = _row(db_session, staff_id, now)
    row.away, row.away_reason, row.changed_at = False, None, now
    db_session.flush()


def set_busy(*, db_session: Session, staff_id: int, now: datetime) -> None:
    """In a paid session: not offered as online until `clear_busy`."""
    row = _row(db_session, staff_id, now)
    if row.busy_since is None:
        row.busy_since = now
    row.changed_at = now
    db_session.flush()


def clear_busy(*, db_session: Session, staff_id: int, now: datetime) -> None:
    row = _row(db_session, staff_id, now)
    row.busy_since, row.changed_at = None, now
    db_session.flush()


def away_reason(*, db_session: Session, staff_id: int) -> str | None:
    row = db_session.get(ExpertAvailability, staff_id)
    return row.away_reason if row is not None and row.away else None


def statuses_by_staff(
    *, db_session: Session, staff_ids: Iterable[int], now: datetime, away_after: timedelta
) -> dict[int, ExpertStatus]:
    """The status of each of `staff_ids` (offline for anyone who is not an active
    expert)."""
    ids = sorted(set(staff_ids))
    if not ids:
        return {}
    # Each active expert among them with their own choice (away, busy), in one query.
    experts = {
        staff_id: (away, busy_since)
        for staff_id, away, busy_since in db_session.execute(
            select(StaffMember.id, ExpertAvailability.away, ExpertAvailability.busy_since)
            .outerjoin(ExpertAvailability, ExpertAvailability.staff_id == StaffMember.id)
            .where(
                StaffMember.id.in_(ids),
                StaffMember.role == EXPERT_ROLE,
                StaffMember.is_active.is_(True),
            )
        )
    }
    tabs = presence.staff_statuses(
        db_session=db_session, now=now, away_after=away_after, staff_ids=ids
    )
    found = {}
    for expert_id in ids:
        tab = tabs.get(expert_id, presence.StaffStatus.offline)
        if expert_id not in experts or tab is presence.StaffStatus.offline:
            found[expert_id] = ExpertStatus.offline
            continue
        away, busy_since = experts[expert_id]
        if busy_since is not None:
            found[expert_id] = ExpertStatus.busy
        elif away or tab is presence.StaffStatus.away:
            found[expert_id] = ExpertStatus.away
        else:
            found[expert_id] = ExpertStatus.online
    return found


def status_of_staff(
    *, db_session: Session, staff_id: int, now: datetime, away_after: timedelta
) -> ExpertStatus:
    return statuses_by_staff(
        db_session=db_session, staff_ids=[staff_id], now=now, away_after=away_after
    )[staff_id]


def statuses(
    *, db_session: Session, expert_ids: Iterable[int], now: datetime, away_after: timedelta
) -> dict[int, ExpertStatus]:
    """The status of each expert by `expert_id` (their profile's id); offline for an
    unknown id."""
    ids = sorted(set(expert_ids))
    if not ids:
        return {}
    staff_of = dict(
        db_session.execute(
            select(ExpertProfile.id, ExpertProfile.staff_id).where(ExpertProfile.id.in_(ids))
        ).all()
    )
    by_staff = statuses_by_staff(
        db_session=db_session, staff_ids=staff_of.values(), now=now, away_after=away_after
    )
    return {
        expert_id: by_staff.get(staff_of.get(expert_id), ExpertStatus.offline) for expert_id in ids
    }


def online_expert_ids(*, db_session: Session, now: datetime, away_after: timedelta) -> set[int]:
    """Every expert (by profile id) offered as online now, for lists that show online
    experts first."""
    tabs = presence.staff_statuses(db_session=db_session, now=now, away_after=away_after)
    found = statuses_by_staff(db_session=db_session, staff_ids=tabs, now=now, away_after=away_after)
    online = [staff_id for staff_id, value in found.items() if value is ExpertStatus.online]
    if not online:
        return set()
    return set(
        db_session.scalars(select(ExpertProfile.id).where(ExpertProfile.staff_id.in_(online)))
    )


def online_staff_params(*, now: datetime, away_after: timedelta) -> dict[str, datetime]:
    """The times `online_staff_query` compares with, by their parameters' names: a statement
    built once around the query runs again at another moment with these as its parameters."""
    return {
        "online_seen_since": presence.alive_since(now),
        "online_active_after": now - away_after,
    }


def online_staff_query(*, now: datetime, away_after: timedelta) -> Select:
    """Of the staff ids that are active experts', those `statuses_by_staff` calls online,
    as one query to put inside another: a list that shows online experts first (expert
    search) orders by it in the database instead of reading every status first. An open
    tab used within `away_after`, neither away nor busy. Its times are named parameters
    (`online_staff_params`).

    The account is not asked here (active, an expert's): the query it goes into holds
    only active experts' staff ids (the search index: `expert_search.index`), and asking
    each online tab's account again was a third of the page's statement on PostgreSQL.

    One row per such tab, not per expert: an expert with two tabs in use is there twice,
    which `IN` does not mind. "The latest input of the open tabs is recent" is "an open
    tab had recent input", so each tab is asked alone: no grouping and no `max`, which
    cost SQLite half of this query (it is worked out for every page of a search)."""
    times = online_staff_params(now=now, away_after=away_after)
    return (
        select(LiveConnection.staff_id)
        .outerjoin(ExpertAvailability, ExpertAvailability.staff_id == LiveConnection.staff_id)
        .where(
            LiveConnection.staff_id.is_not(None),
            LiveConnection.seen_at >= bindparam("online_seen_since", times["online_seen_since"]),
            LiveConnection.last_activity_at
            > bindparam("online_active_after", times["online_active_after"]),
            or_(
                ExpertAvailability.staff_id.is_(None),
                and_(ExpertAvailability.away.is_(False), ExpertAvailability.busy_since.is_(None)),
            ),
        )
    )
