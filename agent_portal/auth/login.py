"""Logging in: the password check, and the throttle that slows down and then locks a user
name after repeated failures.

Failures are counted per user name, whether an account of that name exists or not, so the
answers (wrong, slow, locked) are the same for both and reveal nothing. Every function takes
`now`, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.auth import security, service
from agent_portal.auth.models import LoginThrottle, StaffMember
from agent_portal.config import PortalSettings

THROTTLE_KEY_LENGTH = 255


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int
    lock: timedelta
    delay_per_failure: float
    delay_cap: float
    session_lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: PortalSettings) -> LoginPolicy:
        return cls(
            max_failures=settings.login_max_failures,
            lock=timedelta(minutes=settings.login_lock_minutes),
            delay_per_failure=settings.login_failure_delay_seconds,
            delay_cap=settings.login_failure_delay_max_seconds,
            session_lifetime=timedelta(minutes=settings.session_lifetime_minutes),
        )


@dataclass(frozen=True)
class LoginResult:
    staff: StaffMember | None = None
    session_token: str | None = None
    locked_until: datetime | None = None
    delay_seconds: float = 0.0  # how long to wait before answering a failure

    @property
    def ok(self) -> bool:
        return self.staff is not None

    def lock_minutes_left(self, now: datetime) -> int:
        if self.locked_until is None:
            return 0
        return max(1, math.ceil((self.locked_until - now).total_seconds() / 60))


def failure_delay(*, failures: int, policy: LoginPolicy) -> float:
    """Each recent failure adds the same wait, up to the cap."""
    return min(policy.delay_per_failure * max(failures, 0), policy.delay_cap)


def _throttle_key(username: str) -> str:
    return service.normalise_username(username)[:THROTTLE_KEY_LENGTH]


def locked_until(*, db_session: Session, username: str, now: datetime) -> datetime | None:
    """When the lock on this user name ends, or None if it is not locked."""
    throttle = db_session.get(LoginThrottle, _throttle_key(username))
    if throttle is None or throttle.locked_until is None or throttle.locked_until <= now:
        return None
    return throttle.locked_until


def record_failure(
    *, db_session: Session, username: str, now: datetime, policy: LoginPolicy
) -> LoginThrottle:
    """Counts one failed login; the failure that reaches the maximum starts the lock."""
    key = _throttle_key(username)
    for attempt in range(2):
        throttle = db_session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        if throttle is None:
            throttle = LoginThrottle(username=key, failures=0, window_started_at=now)
            db_session.add(throttle)
        elif _window_over(throttle, now, policy):
            throttle.failures = 0
            throttle.window_started_at = now
            throttle.locked_until = None
        throttle.failures += 1
        if throttle.failures >= policy.max_failures:
            throttle.locked_until = now + policy.lock
        try:
            db_session.commit()
            return throttle
        except IntegrityError:
            # Two failures for a new name at the same moment: the other one created the
            # row, so count this one on it.
            db_session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


def _window_over(throttle: LoginThrottle, now: datetime, policy: LoginPolicy) -> bool:
    if throttle.locked_until is not None:
        return throttle.locked_until <= now
    return throttle.window_started_at + policy.lock <= now


def clear_failures(*, db_session: Session, username: str) -> None:
    db_session.execute(
        delete(LoginThrottle).where(LoginThrottle.username == _throttle_key(username))
    )
    db_session.commit()


def prune_throttles(*, db_session: Session, now: datetime, policy: LoginPolicy) -> int:
    """Forgets failures that no longer count (tried-out names would pile up otherwise)."""
    result = db_session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at <= now - policy.lock,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )
    db_session.commit()
    return result.rowcount


def recent_failures(
    *, db_session: Session, username: str, now: datetime, policy: LoginPolicy
) -> int:
    throttle = db_session.get(LoginThrottle, _throttle_key(username))
    if throttle is None or _window_over(throttle, now, policy):
        return 0
    return throttle.failures


def authenticate(
    *,
    db_session: Session,
    username: str,
    password: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """Checks a login and, when it is right, opens a portal session for it."""
    lock_end = locked_until(db_session=db_session, username=username, now=now)
    if lock_end is not None:
        return LoginResult(locked_until=lock_end)

    member = None
    if len(username) <= THROTTLE_KEY_LENGTH:
        member = service.get_staff_by_username(db_session=db_session, username=username)
    # Inactive members are checked against their hash too: the same time, the same answer.
    password_ok = security.verify_password(member.password_hash if member else None, password)
    if member is None or not member.is_active or not password_ok:
        throttle = record_failure(db_session=db_session, username=username, now=now, policy=policy)
        prune_throttles(db_session=db_session, now=now, policy=policy)
        if throttle.locked_until is not None and throttle.locked_until > now:
            return LoginResult(locked_until=throttle.locked_until)
        return LoginResult(delay_seconds=failure_delay(failures=throttle.failures, policy=policy))

    clear_failures(db_session=db_session, username=username)
    if security.needs_rehash(member.password_hash):
        member.password_hash = security.hash_password(password)
    member.last_login_at = now
    new = service.create_session(
        db_session=db_session, staff=member, lifetime=policy.session_lifetime, now=now
    )
    return LoginResult(staff=member, session_token=new.token)
