"""Staff accounts as admins manage them in the portal: created with an initial password,
renamed, given another role or other chat topics, deactivated and reactivated, their
password reset; and a member's own change of password. Every change goes into the audit
log with who made it (never a password). A deactivation, reactivation or change of role
is also passed to the domains that keep something of the member
(`Domain.account_changed`).

Plain functions on a database session that flush and never commit: the caller commits a
change together with its audit entry, or rolls both back when one raises InvalidInput.
A change that takes access away says so in its result (`ends_live_access`), so the caller
closes the member's open portal tabs after the commit (`agent_portal.auth.flows`).

The portal always keeps an active administrator. Two admins removing each other at the
same moment must not both succeed, so the rows of the active admins are locked
(PostgreSQL) and the count is taken after the change is written: on SQLite the write
waits for the other writer's commit and then counts what it left.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal import domains
from agent_portal.audit.service import Actor, record
from agent_portal.auth import security, service
from agent_portal.auth.audit_events import Event
from agent_portal.auth.errors import N_, DuplicateUsername, InvalidInput, LastActiveAdmin
from agent_portal.auth.models import ROLES, PortalSession, StaffMember
from agent_portal.chat import topics as chat_topics
from agent_portal.chat.errors import ChatError
from agent_portal.chat.routing import CHAT_ROLES
from isp_common.email_addresses import EmailAddressInvalid, check_email_address
from isp_common.live_wire import Topic

DISPLAY_NAME_MAX = 100


@dataclass(frozen=True)
class AccountFields:
    """What an admin sets on an account, checked."""

    display_name: str
    role: str
    topics: list[Topic]
    # Where relayed conversations (`mail_relay`) send the member's copies; None: none.
    email: str | None = None


def check_fields(
    *, display_name: str, role: str, topics: Iterable[str], email: str = ""
) -> AccountFields:
    """The fields, or InvalidInput naming the first that is not acceptable."""
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInput(N_("Enter the name colleagues see, e.g. Anna Berger."))
    if len(display_name) > DISPLAY_NAME_MAX:
        raise InvalidInput(
            N_("The name is too long: at most %(maximum)d characters, not %(length)d."),
            maximum=DISPLAY_NAME_MAX,
            length=len(display_name),
        )
    if role not in ROLES:
        raise InvalidInput(
            N_("The role “%(role)s” does not exist; choose agent, expert or admin."), role=role
        )
    try:
        chosen = chat_topics.parse_topics(topics)
    except ChatError as error:
        raise InvalidInput(error.template, **error.values) from error
    if chosen and role not in CHAT_ROLES:
        raise InvalidInput(
            N_("Experts take no chats: clear the chat topics, or choose another role.")
        )
    return AccountFields(
        display_name=display_name, role=role, topics=chosen, email=_checked_email(email)
    )


def _checked_email(email: str) -> str | None:
    email = email.strip()
    if not email:
        return None
    try:
        return check_email_address(email).normalized
    except EmailAddressInvalid as problem:
        raise InvalidInput(
            N_("The e-mail address “%(email)s” is not valid: %(problem)s"),
            email=email,
            problem=str(problem),
        ) from None


def check_username(username: str) -> str:
    username = service.normalise_username(username)
    if not username:
        raise InvalidInput(N_("Enter a user name."))
    if not service.USERNAME_PATTERN.match(username):
        raise InvalidInput(
            N_(
                "The user name “%(username)s” is not valid: use 2 to 64 letters a-z, digits, "
                "dots, dashes or underscores, starting with a letter or digit."
            ),
            username=username,
        )
    return username


@dataclass(frozen=True)
class NewAccount:
    member: StaffMember
    initial_password: str  # shown to the admin once, never stored


def create(
    *,
    db_session: Session,
    actor: StaffMember,
    username: str,
    fields: AccountFields,
    password: str = "",
    now: datetime,
) -> NewAccount:
    """A new account that must change its initial password (`password`, or a generated
    one when empty) at its first login."""
    username = check_username(username)
    if password:
        service.check_password_strength(password)
    taken = N_("The user name %(username)s is already taken.")
    if service.get_staff_by_username(db_session=db_session, username=username) is not None:
        raise DuplicateUsername(taken, username=username)
    password = password or security.new_initial_password()
    member = StaffMember(
        username=username,
        display_name=fields.display_name,
        role=fields.role,
        email=fields.email,
        password_hash=security.hash_password(password),
        must_change_password=True,
        created_at=now,
    )
    db_session.add(member)
    try:
        db_session.flush()
    except IntegrityError as error:  # someone else took the name a moment ago
        raise DuplicateUsername(taken, username=username) from error
    chat_topics.replace_topics(db_session=db_session, staff_id=member.id, topics=fields.topics)
    _record(
        db_session,
        Event.STAFF_CREATED,
        actor,
        member,
        now,
        topics=[topic.value for topic in fields.topics],
    )
    return NewAccount(member=member, initial_password=password)


@dataclass(frozen=True)
class Changes:
    name: bool = False
    email: bool = False
    role: bool = False
    topics: bool = False

    @property
    def ends_live_access(self) -> bool:
        """An open socket keeps the role it was opened with: it must reopen."""
        return self.role

    @property
    def any(self) -> bool:
        return self.name or self.email or self.role or self.topics


def change(
    *,
    db_session: Session,
    actor: StaffMember,
    member: StaffMember,
    fields: AccountFields,
    now: datetime,
) -> Changes:
    """The member's name, e-mail address, role and topics become `fields`; each change is
    logged (an address is where a new password may be sent: who changed it matters)."""
    old_name, old_email, old_role = member.display_name, member.email, member.role
    old_topics = chat_topics.topics_of(db_session=db_session, staff_id=member.id)
    if fields.role != old_role and old_role == "admin":
        _lock_active_admins(db_session)
    member.display_name = fields.display_name
    member.role = fields.role
    member.email = fields.email
    if fields.role != old_role and old_role == "admin":
        _ensure_an_active_admin_remains(db_session, member)
    if set(fields.topics) != set(old_topics):
        chat_topics.replace_topics(db_session=db_session, staff_id=member.id, topics=fields.topics)
    changes = Changes(
        name=fields.display_name != old_name,
        email=(fields.email or None) != (old_email or None),
        role=fields.role != old_role,
        topics=set(fields.topics) != set(old_topics),
    )
    if changes.name:
        _record(db_session, Event.STAFF_RENAMED, actor, member, now, old_name=old_name)
    if changes.email:
        _record(
            db_session,
            Event.STAFF_EMAIL_CHANGED,
            actor,
            member,
            now,
            old_email=old_email,
            email=member.email,
        )
    if changes.role:
        _record(db_session, Event.STAFF_ROLE_CHANGED, actor, member, now, old_role=old_role)
        _account_changed(db_session, member, now)
    if changes.topics:
        chosen = chat_topics.topics_of(db_session=db_session, staff_id=member.id)
        topics = [topic.value for topic in chosen]
        _record(db_session, Event.STAFF_TOPICS_CHANGED, actor, member, now, topics=topics)
    return changes


def deactivate(
    *, db_session: Session, actor: StaffMember, member: StaffMember, now: datetime
) -> bool:
    """Deactivates the account and ends its portal sessions; False when it was inactive."""
    if member.id == actor.id:
        raise InvalidInput(N_("You cannot deactivate your own account."))
    if not member.is_active:
        return False
    if member.role == "admin":
        _lock_active_admins(db_session)
    member.is_active = False
    if member.role == "admin":
        _ensure_an_active_admin_remains(db_session, member)
    end_sessions(db_session=db_session, staff_id=member.id)
    _record(db_session, Event.STAFF_DEACTIVATED, actor, member, now)
    _account_changed(db_session, member, now)
    return True


def reactivate(
    *, db_session: Session, actor: StaffMember, member: StaffMember, now: datetime
) -> bool:
    """False when the account was active already."""
    if member.is_active:
        return False
    member.is_active = True
    db_session.flush()
    _record(db_session, Event.STAFF_REACTIVATED, actor, member, now)
    _account_changed(db_session, member, now)
    return True


def _account_changed(db_session: Session, member: StaffMember, now: datetime) -> None:
    """What other domains keep of the member follows the change, in its transaction (an
    expert's profile leaves the search while the account is deactivated)."""
    db_session.flush()
    for hook in domains.account_changed_hooks():
        hook(db_session=db_session, member=member, now=now)


def reset_password(
    *,
    db_session: Session,
    actor: StaffMember,
    member: StaffMember,
    password: str = "",
    now: datetime,
) -> str:
    """A new initial password (`password`, or a generated one), to be changed at the next
    login; the member's portal sessions end. Returns the password, to show once."""
    if member.id == actor.id:
        raise InvalidInput(
            N_("Change your own password on the page “Change password”, with your current one.")
        )
    if password:
        service.check_password_strength(password)
    password = password or security.new_initial_password()
    member.password_hash = security.hash_password(password)
    member.must_change_password = True
    end_sessions(db_session=db_session, staff_id=member.id)
    _record(db_session, Event.STAFF_PASSWORD_RESET, actor, member, now)
    return password


def check_new_password(*, current: str, new: str, again: str) -> None:
    """The rules for a password a member chooses: those of the command line, typed twice
    the same, and not the one they have."""
    if new != again:
        raise InvalidInput(N_("The two new passwords differ."))
    service.check_password_strength(new)
    if new == current:
        raise InvalidInput(N_("Choose a new password, not the one you have now."))


def set_own_password(
    *,
    db_session: Session,
    member: StaffMember,
    password: str,
    keep_session_id: int,
    now: datetime,
) -> None:
    """The member's own new password (checked by `check_new_password`); their other
    portal sessions end, the one they changed it in stays."""
    member.password_hash = security.hash_password(password)
    member.must_change_password = False
    end_sessions(db_session=db_session, staff_id=member.id, keep_session_id=keep_session_id)
    _record(db_session, Event.STAFF_PASSWORD_CHANGED, member, member, now)


def end_sessions(*, db_session: Session, staff_id: int, keep_session_id: int | None = None) -> int:
    """Logs the member out of every browser (but the session `keep_session_id`)."""
    statement = delete(PortalSession).where(PortalSession.staff_id == staff_id)
    if keep_session_id is not None:
        statement = statement.where(PortalSession.id != keep_session_id)
    return db_session.execute(statement).rowcount


def _active_admins():
    return (StaffMember.role == "admin", StaffMember.is_active)


def _lock_active_admins(db_session: Session) -> None:
    # PostgreSQL: a concurrent change of an admin waits here until this one commits, and
    # then finds the admins as this one left them. SQLite has no FOR UPDATE: its one
    # writer at a time does the same at the write.
    db_session.execute(select(StaffMember.id).where(*_active_admins()).with_for_update())


def _ensure_an_active_admin_remains(db_session: Session, member: StaffMember) -> None:
    db_session.flush()
    left = db_session.scalar(select(func.count()).select_from(StaffMember).where(*_active_admins()))
    if not left:
        raise LastActiveAdmin(
            N_("%(name)s is the last active administrator: make another administrator first."),
            name=member.name,
        )


def _record(
    db_session: Session,
    event: Event,
    actor: StaffMember,
    member: StaffMember,
    now: datetime,
    **data,
) -> None:
    record(
        db_session=db_session,
        event=event,
        actor=Actor.staff(actor),
        now=now,
        username=member.username,
        display_name=member.display_name,
        role=member.role,
        **data,
    )
