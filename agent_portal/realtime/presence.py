"""Presence, read from the live connections: a device is online while its channel lives; a
staff member is online while a portal tab is open and had input within the away time,
away while tabs are open but idle, offline when the last tab has closed.

Plain functions on a database session, which flush and never commit (the channel or job
that calls them commits); `alive_since` is the oldest `seen_at` that still counts (see
`agent_portal.realtime.models`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from agent_portal.customers.models import Device
from agent_portal.realtime.models import LiveConnection

# A worker refreshes its rows this often; three missed refreshes and they stop counting.
REFRESH_INTERVAL = timedelta(seconds=15)
STALE_AFTER = REFRESH_INTERVAL * 3


class StaffStatus(enum.StrEnum):
    online = "online"
    away = "away"
    offline = "offline"


def alive_since(now: datetime) -> datetime:
    return now - STALE_AFTER


def open_connection(
    *,
    db_session: Session,
    connection_id: str,
    worker_id: str,
    now: datetime,
    staff_id: int | None = None,
    device_id: str | None = None,
) -> LiveConnection:
    if (staff_id is None) == (device_id is None):
        raise ValueError("a connection belongs to a staff member or to a device")
    connection = LiveConnection(
        id=connection_id,
        worker_id=worker_id,
        kind="staff" if staff_id is not None else "device",
        staff_id=staff_id,
        device_id=device_id,
        opened_at=now,
        last_activity_at=now,
        seen_at=now,
    )
    db_session.add(connection)
    if device_id is not None:
        db_session.execute(update(Device).where(Device.id == device_id).values(last_seen_at=now))
    db_session.flush()
    return connection


def close_connection(*, db_session: Session, connection_id: str, now: datetime) -> bool:
    """Forgets the connection; True when it was known. A device's last sighting is now."""
    connection = db_session.get(LiveConnection, connection_id)
    if connection is None:
        return False
    if connection.device_id is not None:
        db_session.execute(
            update(Device).where(Device.id == connection.device_id).values(last_seen_at=now)
        )
    db_session.delete(connection)
    db_session.flush()
    return True


def record_activity(*, db_session: Session, connection_id: str, now: datetime) -> None:
    db_session.execute(
        update(LiveConnection)
        .where(LiveConnection.id == connection_id)
        .values(last_activity_at=now, seen_at=now)
    )
    db_session.flush()


def refresh_worker(*, db_session: Session, worker_id: str, now: datetime) -> None:
    db_session.execute(
        update(LiveConnection).where(LiveConnection.worker_id == worker_id).values(seen_at=now)
    )
    db_session.flush()


def forget_stale(*, db_session: Session, now: datetime) -> int:
    """Deletes rows of workers that stopped without closing them; how many went."""
    result = db_session.execute(
        delete(LiveConnection).where(LiveConnection.seen_at < alive_since(now))
    )
    db_session.flush()
    return result.rowcount


def forget_worker(*, db_session: Session, worker_id: str) -> None:
    db_session.execute(delete(LiveConnection).where(LiveConnection.worker_id == worker_id))
    db_session.flush()


def online_devices(*, db_session: Session, device_ids: Iterable[str], now: datetime) -> set[str]:
    ids = list(device_ids)
    if not ids:
        return set()
    statement = select(LiveConnection.device_id).where(
        LiveConnection.device_id.in_(ids), LiveConnection.seen_at >= alive_since(now)
    )
    return set(db_session.scalars(statement))


def device_online(*, db_session: Session, device_id: str, now: datetime) -> bool:
    return device_id in online_devices(db_session=db_session, device_ids=[device_id], now=now)


def live_connection_ids(
    *, db_session: Session, now: datetime, staff_id: int | None = None, ids: Iterable[str] = ()
) -> list[str]:
    """The open connections of a staff member (every tab), or those of `ids` still open."""
    statement = select(LiveConnection.id).where(LiveConnection.seen_at >= alive_since(now))
    if staff_id is not None:
        statement = statement.where(LiveConnection.staff_id == staff_id)
    else:
        statement = statement.where(LiveConnection.id.in_(list(ids)))
    return sorted(db_session.scalars(statement))


def staff_statuses(
    *,
    db_session: Session,
    now: datetime,
    away_after: timedelta,
    staff_ids: Iterable[int] | None = None,
) -> dict[int, StaffStatus]:
    """Everyone with an open tab (or those of `staff_ids` who have one): online or away.
    Whoever is missing is offline."""
    statement = (
        select(LiveConnection.staff_id, func.max(LiveConnection.last_activity_at))
        .where(LiveConnection.staff_id.is_not(None), LiveConnection.seen_at >= alive_since(now))
        .group_by(LiveConnection.staff_id)
    )
    if staff_ids is not None:
        statement = statement.where(LiveConnection.staff_id.in_(sorted(set(staff_ids))))
    return {
        staff_id: StaffStatus.online if now - last < away_after else StaffStatus.away
        for staff_id, last in db_session.execute(statement)
    }


def staff_status(
    *, db_session: Session, staff_id: int, now: datetime, away_after: timedelta
) -> StaffStatus:
    statuses = staff_statuses(db_session=db_session, now=now, away_after=away_after)
    return statuses.get(staff_id, StaffStatus.offline)
