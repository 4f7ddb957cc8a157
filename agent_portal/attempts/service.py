"""Attempt limits: every attempt at a secret is reserved before the secret is checked.

A policy says how many attempts a key allows within a window, and how long the key stays
locked once the attempt that used up the last one fails. A caller names several keys at
once (the customer, the device and the address of one attempt), each with its policy:

    reservation = reserve(db_session=..., limits={key: policy, ...}, now=now)
    db_session.commit()  # before the check, so parallel requests count this attempt
    ...check the secret, then exactly one of:
    record_failure(...)  # a wrong secret: it stays counted, and the last one locks
    record_success(...)  # a right one: forgets the failures of some keys
    release(...)         # no verdict on the secret (e.g. the code was used): not counted

`reserve` counts the attempt with one conditional upsert (of all keys that share a policy)
that adds one to a key only while it is below its limit and not locked. The database
decides, not a read before the write, so requests in parallel can never reserve more
attempts than the limit, on SQLite (one writer at a time) as on PostgreSQL (the upsert
waits for a concurrent one on the same row and then sees its count). When a key is used
up, nothing stays counted and `AttemptsUsedUp` says until when (`AttemptsInFlight` when
the last attempts are still being checked). Keys are reserved in sorted order, and every
other writer here follows that order, so two requests never wait for each other's rows in
opposite order. `agent_portal.attempts.flows.reserve_committed` is `reserve` with the
commit, and with a short wait for attempts in flight; the redeem, sign-in and login
flows use it.

These functions add to the caller's transaction and do not commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from itertools import groupby

from sqlalchemy import (
    Connection,
    String,
    and_,
    bindparam,
    case,
    delete,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agent_portal.attempts.models import AttemptThrottle
from agent_portal.database import UTCDateTime

KEY_LENGTH = 200

_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@dataclass(frozen=True)
class AttemptPolicy:
    max_failures: int
    window: timedelta
    lock: timedelta


class AttemptsUsedUp(Exception):
    """A key has no attempt left: it is locked until `locked_until`."""

    def __init__(self, locked_until: datetime) -> None:
        super().__init__(f"no attempt left until {locked_until.isoformat()}")
        self.locked_until = locked_until


class AttemptsInFlight(AttemptsUsedUp):
    """A key's last attempts are being checked by other requests: a moment later it is
    locked (they failed) or has attempts again (they did not). `locked_until` is when a
    lock would end."""


@dataclass(frozen=True)
class Reserved:
    attempt: int  # this attempt's number within the key's window, 1 for the first
    window_started_at: datetime
    policy: AttemptPolicy


@dataclass(frozen=True)
class Reservation:
    keys: Mapping[str, Reserved]
    now: datetime

    def attempt(self, key: str) -> int:
        return self.keys[key[:KEY_LENGTH]].attempt


@dataclass(frozen=True)
class Failure:
    locked_until: datetime | None  # set when this failure locked a key
    attempts_left: int  # before the first of the keys locks


_c = AttemptThrottle.__table__.c
_KEY = bindparam("attempt_key")
_NOW = bindparam("now", type_=UTCDateTime())
_WINDOW = bindparam("window", type_=UTCDateTime())


@cache
def _reserve_statement(dialect: str, count: int):
    """Adds one attempt to each of `count` keys that is below its limit, or starts it
    afresh; returns the keys it counted (one that is used up is left out). Built once per
    database and count, since every redeem runs it and building costs more than running.
    The keys come from a SELECT, not from several VALUES rows: SQLAlchemy caches no
    statement with those."""
    window_start = bindparam("window_start", type_=UTCDateTime())
    # A row starts afresh once its lock has ended, or (when not locked) once its window has.
    fresh = or_(
        and_(_c.locked_until.is_(None), _c.window_started_at <= window_start),
        and_(_c.locked_until.is_not(None), _c.locked_until <= _NOW),
    )
    below_limit = and_(_c.locked_until.is_(None), _c.failures < bindparam("limit"))
    keys = union_all(
        *(
            select(bindparam(f"key_{number}", type_=String()).label("key"))
            for number in range(count)
        )
    ).subquery()
    # WHERE true: without a WHERE, SQLite would read ON CONFLICT as part of the SELECT.
    rows = select(keys.c.key, literal(1), _NOW).where(true())
    upsert = _UPSERTS[dialect](AttemptThrottle.__table__).from_select(
        ["key", "failures", "window_started_at"], rows
    )
    return upsert.on_conflict_do_update(
        index_elements=[_c.key],
        set_={
            "failures": case((fresh, 1), else_=_c.failures + 1),
            "window_started_at": case((fresh, _NOW), else_=_c.window_started_at),
            "locked_until": case((fresh, None), else_=_c.locked_until),
        },
        where=or_(fresh, below_limit),
    ).returning(_c.key, _c.failures, _c.window_started_at)


# Each of these touches the row only while it is still in the window of the reservation.
_SAME_WINDOW = and_(_c.key == _KEY, _c.window_started_at == _WINDOW)
_LOCK = (
    update(AttemptThrottle)
    .where(_SAME_WINDOW, _c.locked_until.is_(None))
    .values(locked_until=bindparam("until", type_=UTCDateTime()))
)
_DROP_LAST = delete(AttemptThrottle).where(
    _SAME_WINDOW, _c.locked_until.is_(None), _c.failures <= 1
)
_GIVE_BACK = (
    update(AttemptThrottle)
    .where(_SAME_WINDOW, _c.locked_until.is_(None), _c.failures > 0)
    .values(failures=_c.failures - 1)
)
_FORGET = delete(AttemptThrottle).where(
    _c.key.in_(bindparam("keys", expanding=True)),
    or_(_c.locked_until.is_(None), _c.locked_until <= _NOW),
)


def reserve(
    *, db_session: Session, limits: Mapping[str, AttemptPolicy], now: datetime
) -> Reservation:
    """Counts one attempt against every key, or (raising AttemptsUsedUp) against none."""
    connection = db_session.connection()
    limits = {key[:KEY_LENGTH]: policy for key, policy in limits.items()}
    reserved: dict[str, Reserved] = {}
    for policy, keys in _runs(limits):
        rows = connection.execute(
            _reserve_statement(connection.dialect.name, len(keys)),
            {
                **{f"key_{number}": key for number, key in enumerate(keys)},
                "now": now,
                "window_start": now - policy.window,
                "limit": policy.max_failures,
            },
        )
        for row in rows:
            reserved[row.key] = Reserved(row.failures, row.window_started_at, policy)
        used_up = [key for key in keys if key not in reserved]
        if used_up:
            release(db_session=db_session, reservation=Reservation(reserved, now))
            raise _used_up(connection, used_up, policy, now)
    return Reservation(dict(sorted(reserved.items())), now)


def _runs(limits: Mapping[str, AttemptPolicy]) -> list[tuple[AttemptPolicy, list[str]]]:
    """The keys in sorted order, in runs of one policy: one statement for each run."""
    runs: list[tuple[AttemptPolicy, list[str]]] = []
    for key in sorted(limits):
        if runs and runs[-1][0] == limits[key]:
            runs[-1][1].append(key)
        else:
            runs.append((limits[key], [key]))
    return runs


def _used_up(
    connection: Connection, keys: list[str], policy: AttemptPolicy, now: datetime
) -> AttemptsUsedUp:
    ends = connection.scalars(select(_c.locked_until).where(_c.key.in_(keys))).all()
    locks = [end for end in ends if end is not None and end > now]
    if locks:
        return AttemptsUsedUp(max(locks))
    # Full but not locked: the last attempts are being checked (or their requests died).
    return AttemptsInFlight(now + policy.lock)


def record_failure(*, db_session: Session, reservation: Reservation) -> Failure:
    """The secret was wrong: the attempt stays counted, and a key whose last attempt it was
    locks (exactly one attempt per window is the last, so one failure locks it)."""
    lock_end = None
    attempts_left = None
    for key, reserved in reservation.keys.items():
        left = reserved.policy.max_failures - reserved.attempt
        if left > 0:
            attempts_left = left if attempts_left is None else min(attempts_left, left)
            continue
        until = reservation.now + reserved.policy.lock
        locked = db_session.connection().execute(
            _LOCK, {"attempt_key": key, "window": reserved.window_started_at, "until": until}
        )
        if locked.rowcount == 1:  # else a success forgot this key's attempts meanwhile
            lock_end = until if lock_end is None else max(lock_end, until)
    if lock_end is not None:
        return Failure(locked_until=lock_end, attempts_left=0)
    return Failure(locked_until=None, attempts_left=attempts_left or 0)


def release(*, db_session: Session, reservation: Reservation) -> None:
    """Gives the attempt back on every key, as if it had not been made."""
    connection = db_session.connection()
    for key in reservation.keys:
        _give_back(connection, reservation, key)


def record_success(*, db_session: Session, reservation: Reservation, forget: Iterable[str]) -> None:
    """The secret was right: the keys in `forget` lose their recent failures (a running lock
    stays until it ends); the others only get this attempt back."""
    connection = db_session.connection()
    forget = {key[:KEY_LENGTH] for key in forget}
    # In the order `reserve` took the keys, as every writer here does (see above); keys
    # to forget that come together go in one statement.
    for forgetting, run in groupby(reservation.keys, key=lambda key: key in forget):
        keys = list(run)
        if forgetting:
            connection.execute(_FORGET, {"keys": keys, "now": reservation.now})
        else:
            for key in keys:
                _give_back(connection, reservation, key)


def _give_back(connection: Connection, reservation: Reservation, key: str) -> None:
    where = {"attempt_key": key, "window": reservation.keys[key].window_started_at}
    # A key counting only this attempt goes, so the table keeps no row per visitor.
    if connection.execute(_DROP_LAST, where).rowcount == 0:
        connection.execute(_GIVE_BACK, where)


def counted(*, db_session: Session, key: str, policy: AttemptPolicy, now: datetime) -> int:
    """The attempts that still count against a key (failed ones and those being checked)."""
    row = db_session.get(AttemptThrottle, key[:KEY_LENGTH], populate_existing=True)
    if row is None:
        return 0
    if row.locked_until is not None:
        return row.failures if row.locked_until > now else 0
    return row.failures if row.window_started_at > now - policy.window else 0


def prune(*, db_session: Session, prefix: str, policy: AttemptPolicy, now: datetime) -> int:
    """Forgets the keys starting with `prefix` whose failures no longer count (tried-out
    user names would pile up otherwise); `policy` is the one those keys are counted by."""
    # Rows another request is writing are left for later (PostgreSQL's SKIP LOCKED; SQLite
    # has one writer anyway): waiting for them could deadlock with that request.
    stale = (
        select(_c.key)
        .where(
            _c.key.startswith(prefix, autoescape=True),
            _c.window_started_at <= now - policy.window,
            or_(_c.locked_until.is_(None), _c.locked_until <= now),
        )
        .with_for_update(skip_locked=True)
    )
    result = db_session.execute(delete(AttemptThrottle).where(_c.key.in_(stale)))
    return result.rowcount
