"""Staff accounts, portal sessions and API keys: plain functions on a database session.

Functions that look something up return None when nothing is found. Functions that change
something flush and never commit: the route, command or handler that owns the work commits
it once, together with whatever else the request changed (`agent_portal.unit_of_work`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.auth import security
from agent_portal.auth.errors import N_, DuplicateUsername, InvalidInput
from agent_portal.auth.models import ROLES, ApiKey, PortalSession, StaffMember
from agent_portal.database import utcnow

MIN_PASSWORD_LENGTH = 10
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
API_KEY_NAME_MAX = 100
# Writing last_used_at on every call would turn each API read into a write; once a minute
# tells an admin just as well whether a key is still in use.
API_KEY_USE_RESOLUTION = timedelta(minutes=1)


def normalise_username(username: str) -> str:
    return username.strip().lower()


# --- staff members ---------------------------------------------------------------------


def check_password_strength(password: str) -> None:
    if not password:
        raise InvalidInput(N_("The password is empty."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password is too short: it needs at least %(minimum)d characters."),
            minimum=MIN_PASSWORD_LENGTH,
        )


def create_staff(
    *,
    db_session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    now: datetime | None = None,
) -> StaffMember:
    """A new staff member; raises InvalidInput (or DuplicateUsername) when a value is not
    acceptable. A name taken by a parallel writer is only noticed as the row is written:
    the caller's transaction is then to be rolled back, as an exception does anyway."""
    username = normalise_username(username)
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            N_(
                "The user name “%(username)s” is not valid: use 2 to 64 letters a-z, digits, "
                "dots, dashes or underscores, starting with a letter or digit."
            ),
            username=username,
        )
    if role not in ROLES:
        raise InvalidInput(
            N_("The role “%(role)s” does not exist; choose agent, expert or admin."), role=role
        )
    check_password_strength(password)
    if get_staff_by_username(db_session=db_session, username=username) is not None:
        raise DuplicateUsername(
            N_("The user name %(username)s is already taken."), username=username
        )
    member = StaffMember(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=security.hash_password(password),
        created_at=now or utcnow(),
    )
    db_session.add(member)
    try:
        db_session.flush()
    except IntegrityError as error:  # someone else took the name a moment ago
        raise DuplicateUsername(
            N_("The user name %(username)s is already taken."), username=username
        ) from error
    return member


def get_staff(*, db_session: Session, staff_id: int) -> StaffMember | None:
    return db_session.get(StaffMember, staff_id)


def get_staff_by_username(*, db_session: Session, username: str) -> StaffMember | None:
    return db_session.scalar(
        select(StaffMember).where(StaffMember.username == normalise_username(username))
    )


def list_staff(*, db_session: Session) -> list[StaffMember]:
    return list(db_session.scalars(select(StaffMember).order_by(StaffMember.username)))


# --- portal sessions -------------------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    token: str  # goes into the cookie; the database keeps only its hash
    session: PortalSession


def create_session(
    *, db_session: Session, staff: StaffMember, lifetime: timedelta, now: datetime
) -> NewSession:
    token = security.new_token()
    portal_session = PortalSession(
        token_hash=security.token_hash(token),
        staff_id=staff.id,
        csrf_token=security.new_token(),
        created_at=now,
        expires_at=now + lifetime,
    )
    db_session.add(portal_session)
    # Expired sessions of anyone are of no use; clearing them here keeps the table small.
    db_session.execute(delete(PortalSession).where(PortalSession.expires_at <= now))
    db_session.flush()
    return NewSession(token=token, session=portal_session)


def get_session_by_token(
    *, db_session: Session, token: str | None, now: datetime
) -> PortalSession | None:
    """The live session of the cookie's token: None when unknown, expired, or when its
    staff member has been deactivated."""
    if not token:
        return None
    portal_session = db_session.scalar(
        select(PortalSession).where(PortalSession.token_hash == security.token_hash(token))
    )
    if portal_session is None or portal_session.expires_at <= now:
        return None
    if not portal_session.staff.is_active:
        return None
    return portal_session


def end_session(*, db_session: Session, token: str | None) -> bool:
    """Logs the browser out; True when there was a session to end."""
    if not token:
        return False
    result = db_session.execute(
        delete(PortalSession).where(PortalSession.token_hash == security.token_hash(token))
    )
    return result.rowcount > 0


def count_sessions(*, db_session: Session, staff_id: int) -> int:
    return db_session.scalar(
        select(func.count()).select_from(PortalSession).where(PortalSession.staff_id == staff_id)
    )


# --- API keys --------------------------------------------------------------------------


@dataclass(frozen=True)
class NewApiKey:
    key: str  # shown once, never stored
    api_key: ApiKey


def create_api_key(
    *,
    db_session: Session,
    name: str,
    created_by: StaffMember | None = None,
    now: datetime | None = None,
) -> NewApiKey:
    name = name.strip()
    if not name:
        raise InvalidInput(N_("Give the API key a name, e.g. the system that will use it."))
    if len(name) > API_KEY_NAME_MAX:
        raise InvalidInput(
            N_("The name is too long: at most %(maximum)d characters, not %(length)d."),
            maximum=API_KEY_NAME_MAX,
            length=len(name),
        )
    key = security.new_api_key()
    api_key = ApiKey(
        name=name,
        prefix=key[: security.API_KEY_VISIBLE_CHARS],
        key_hash=security.token_hash(key),
        created_at=now or utcnow(),
        created_by_id=created_by.id if created_by else None,
    )
    db_session.add(api_key)
    db_session.flush()
    return NewApiKey(key=key, api_key=api_key)


def list_api_keys(*, db_session: Session) -> list[ApiKey]:
    return list(db_session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)))


def get_api_key(*, db_session: Session, api_key_id: int) -> ApiKey | None:
    return db_session.get(ApiKey, api_key_id)


def verify_api_key(
    *, db_session: Session, key: str | None, now: datetime | None = None
) -> ApiKey | None:
    """The live API key for `key`, with its use recorded; None when unknown or revoked."""
    if not key:
        return None
    api_key = db_session.scalar(
        select(ApiKey).where(ApiKey.key_hash == security.token_hash(key.strip()))
    )
    if api_key is None or api_key.is_revoked:
        return None
    now = now or utcnow()
    if api_key.last_used_at is None or now - api_key.last_used_at >= API_KEY_USE_RESOLUTION:
        api_key.last_used_at = now
        db_session.flush()
    return api_key


def revoke_api_key(
    *, db_session: Session, api_key_id: int, now: datetime | None = None
) -> ApiKey | None:
    """Revokes the key (once; revoking again keeps the first time). None when unknown."""
    api_key = get_api_key(db_session=db_session, api_key_id=api_key_id)
    if api_key is None:
        return None
    if api_key.revoked_at is None:
        api_key.revoked_at = now or utcnow()
        db_session.flush()
    return api_key
