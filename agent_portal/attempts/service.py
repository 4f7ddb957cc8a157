"""Counting failed attempts per key and locking a key after too many.

A policy says how many failures within a window lock a key, and for how long. A caller
checks several keys at once (the customer, the device and the address of one attempt):
the attempt is refused while any of them is locked, and a failure counts against all of
them. These functions add to the caller's transaction and do not commit, so a failure is
stored together with its audit entry, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.attempts.models import AttemptThrottle

KEY_LENGTH = 200


@dataclass(frozen=True)
class AttemptPolicy:
    max_failures: int
    window: timedelta
    lock: timedelta


@dataclass(frozen=True)
class Failure:
    locked_until: datetime | None  # set when this failure locked a key
    attempts_left: int  # before the first of the keys locks


def _keys(keys: Iterable[str]) -> list[str]:
    return sorted({key[:KEY_LENGTH] for key in keys})


# Built once: every redeem runs it, and building the statement costs more than running it.
_LOAD = select(AttemptThrottle).where(AttemptThrottle.key.in_(bindparam("keys", expanding=True)))


def load(*, db_session: Session, keys: Iterable[str]) -> Mapping[str, AttemptThrottle]:
    rows = db_session.scalars(_LOAD, {"keys": _keys(keys)})
    return {row.key: row for row in rows}


def locked_until(*, rows: Mapping[str, AttemptThrottle], now: datetime) -> datetime | None:
    """The end of the longest lock among the loaded rows, or None when none is locked."""
    ends = [
        row.locked_until for row in rows.values() if row.locked_until and row.locked_until > now
    ]
    return max(ends, default=None)


def record_failure(
    *, db_session: Session, keys: Iterable[str], policy: AttemptPolicy, now: datetime
) -> Failure:
    """Counts one failure against every key; locks those that reach the limit."""
    keys = _keys(keys)
    statement = select(AttemptThrottle).where(AttemptThrottle.key.in_(keys)).with_for_update()
    rows = {row.key: row for row in db_session.scalars(statement)}
    lock_end = None
    attempts_left = policy.max_failures
    for key in keys:
        row = rows.get(key) or _new_row(db_session, key, now)
        if row.locked_until and row.locked_until <= now:
            row.locked_until = None
            row.failures = 0
        if now - row.window_started_at >= policy.window:
            row.failures = 0
            row.window_started_at = now
        row.failures += 1
        if row.failures >= policy.max_failures:
            row.locked_until = now + policy.lock
            row.failures = 0
            row.window_started_at = now
            lock_end = row.locked_until
            attempts_left = 0
        else:
            attempts_left = min(attempts_left, policy.max_failures - row.failures)
    db_session.flush()
    return Failure(locked_until=lock_end, attempts_left=attempts_left)


def _new_row(db_session: Session, key: str, now: datetime) -> AttemptThrottle:
    """A fresh counter; when another request made it a moment ago, that one."""
    try:
        with db_session.begin_nested():
            row = AttemptThrottle(key=key, failures=0, window_started_at=now)
            db_session.add(row)
        return row
    except IntegrityError:
        return db_session.scalars(
            select(AttemptThrottle).where(AttemptThrottle.key == key).with_for_update()
        ).one()


def clear(*, db_session: Session, keys: Iterable[str], now: datetime) -> None:
    """Forgets the failures of keys (after a success); a running lock stays until it ends."""
    db_session.execute(
        delete(AttemptThrottle).where(
            AttemptThrottle.key.in_(_keys(keys)),
            AttemptThrottle.locked_until.is_(None) | (AttemptThrottle.locked_until <= now),
        )
    )
