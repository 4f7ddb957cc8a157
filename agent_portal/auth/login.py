"""Logging in: the password check, and the attempt limits that slow down and then lock a
user name, and an address, after repeated failures.

Failures are counted per user name, whether an account of that name exists or not, so the
answers (wrong, slow, locked) are the same for both and reveal nothing; and per address,
so one address cannot try one password on many names. Each attempt is reserved before
its password is checked (`agent_portal.attempts`), so logins in parallel cannot check
more passwords than the limit. Failed logins and locks go into the audit log. The verdict,
success or failure, is the caller's to commit (the route, before it answers). Every
function takes `now`, so tests move the clock instead of sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agent_portal.attempts import flows as attempt_flows
from agent_portal.attempts import service as attempts
from agent_portal.attempts.service import AttemptPolicy
from agent_portal.audit.service import Actor, record
from agent_portal.auth import security, service
from agent_portal.auth.audit_events import Event
from agent_portal.auth.models import StaffMember
from agent_portal.config import PortalSettings
from agent_portal.i18n import translator

KEY_PREFIX = "login:"
USERNAME_LENGTH = 255  # longer names are no account's: only this much of them is kept


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int  # per user name
    max_failures_per_address: int
    lock: timedelta  # also the window the failures are counted in
    delay_per_failure: float
    delay_cap: float
    session_lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: PortalSettings) -> LoginPolicy:
        return cls(
            max_failures=settings.login_max_failures,
            max_failures_per_address=settings.login_max_failures_per_address,
            lock=timedelta(minutes=settings.login_lock_minutes),
            delay_per_failure=settings.login_failure_delay_seconds,
            delay_cap=settings.login_failure_delay_max_seconds,
            session_lifetime=timedelta(minutes=settings.session_lifetime_minutes),
        )

    def per(self, max_failures: int) -> AttemptPolicy:
        return AttemptPolicy(max_failures=max_failures, window=self.lock, lock=self.lock)


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


def locked_message(minutes: int) -> str:
    """What a locked login (or password check) tells the person, in their language."""
    return translator.ngettext(
        "Too many failed logins with this user name or from your address: logging in is "
        "locked for %(minutes)d more minute. Please try again later.",
        "Too many failed logins with this user name or from your address: logging in is "
        "locked for %(minutes)d more minutes. Please try again later.",
        minutes,
    ) % {"minutes": minutes}


def failure_delay(*, failures: int, policy: LoginPolicy) -> float:
    """Each recent failure adds the same wait, up to the cap."""
    return min(policy.delay_per_failure * max(failures, 0), policy.delay_cap)


def _username(username: str) -> str:
    return service.normalise_username(username)[:USERNAME_LENGTH]


def _user_key(username: str) -> str:
    return f"{KEY_PREFIX}user:{_username(username)}"


def recent_failures(
    *, db_session: Session, username: str, now: datetime, policy: LoginPolicy
) -> int:
    """The failed logins of a user name that still count."""
    return attempts.counted(
        db_session=db_session,
        key=_user_key(username),
        policy=policy.per(policy.max_failures),
        now=now,
    )


def authenticate(
    *,
    db_session: Session,
    username: str,
    password: str,
    address: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """Checks a login and, when it is right, opens a portal session for it. The caller
    commits either outcome: the session, or the failure (it counts, with its audit
    entries), before the answer and its delay."""
    user_key = _user_key(username)
    limits = _limits(username=username, address=address, policy=policy)
    try:  # committed before the (slow) password check, so logins in parallel count it
        reservation = attempt_flows.reserve_committed(db_session=db_session, limits=limits, now=now)
    except attempts.AttemptsUsedUp as used_up:
        return LoginResult(locked_until=used_up.locked_until)

    member = None
    if len(username) <= USERNAME_LENGTH:
        member = service.get_staff_by_username(db_session=db_session, username=username)
    # Inactive members are checked against their hash too: the same time, the same answer.
    password_ok = security.verify_password(member.password_hash if member else None, password)
    if member is None or not member.is_active or not password_ok:
        return _failed(
            db_session=db_session,
            reservation=reservation,
            username=username,
            address=address,
            policy=policy,
        )

    attempts.record_success(db_session=db_session, reservation=reservation, forget=[user_key])
    if security.needs_rehash(member.password_hash):
        member.password_hash = security.hash_password(password)
    member.last_login_at = now
    new = service.create_session(
        db_session=db_session, staff=member, lifetime=policy.session_lifetime, now=now
    )
    return LoginResult(staff=member, session_token=new.token)


def check_password(
    *,
    db_session: Session,
    member: StaffMember,
    password: str,
    address: str,
    now: datetime,
    policy: LoginPolicy,
) -> LoginResult:
    """A logged-in member's password once more (to change it), counted like a login: a
    session left open is no way around the limits. `ok` when right; the caller commits
    either outcome, the failure too (it counts), before it answers."""
    limits = _limits(username=member.username, address=address, policy=policy)
    try:
        reservation = attempt_flows.reserve_committed(db_session=db_session, limits=limits, now=now)
    except attempts.AttemptsUsedUp as used_up:
        return LoginResult(locked_until=used_up.locked_until)
    if not security.verify_password(member.password_hash, password):
        return _failed(
            db_session=db_session,
            reservation=reservation,
            username=member.username,
            address=address,
            policy=policy,
        )
    attempts.record_success(
        db_session=db_session, reservation=reservation, forget=[_user_key(member.username)]
    )
    return LoginResult(staff=member)


def _limits(*, username: str, address: str, policy: LoginPolicy) -> dict[str, AttemptPolicy]:
    return {
        _user_key(username): policy.per(policy.max_failures),
        f"{KEY_PREFIX}address:{address}": policy.per(policy.max_failures_per_address),
    }


def _failed(
    *,
    db_session: Session,
    reservation: attempts.Reservation,
    username: str,
    address: str,
    policy: LoginPolicy,
) -> LoginResult:
    now = reservation.now
    failure = attempts.record_failure(db_session=db_session, reservation=reservation)
    audit = {"actor": Actor.anonymous(), "now": now, "address": address}
    name = _username(username)
    record(db_session=db_session, event=Event.STAFF_LOGIN_FAILED, username=name, **audit)
    if failure.locked_until is not None:
        record(
            db_session=db_session,
            event=Event.STAFF_LOGIN_LOCKED,
            username=name,
            until=failure.locked_until,
            **audit,
        )
    # Tried-out user names would pile up otherwise.
    attempts.prune(
        db_session=db_session, prefix=KEY_PREFIX, policy=policy.per(policy.max_failures), now=now
    )
    if failure.locked_until is not None:
        return LoginResult(locked_until=failure.locked_until)
    failures = reservation.attempt(_user_key(username))
    return LoginResult(delay_seconds=failure_delay(failures=failures, policy=policy))
