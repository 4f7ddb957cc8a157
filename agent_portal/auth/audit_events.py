"""What staff accounts and portal logins write to the audit log, and how the log words it
(`Domain.audit_events`). The values are stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    STAFF_LOGIN_FAILED = "staff_login_failed"
    STAFF_LOGIN_LOCKED = "staff_login_locked"
    STAFF_CREATED = "staff_created"
    STAFF_RENAMED = "staff_renamed"
    STAFF_EMAIL_CHANGED = "staff_email_changed"
    STAFF_ROLE_CHANGED = "staff_role_changed"
    STAFF_TOPICS_CHANGED = "staff_topics_changed"
    STAFF_DEACTIVATED = "staff_deactivated"
    STAFF_REACTIVATED = "staff_reactivated"
    STAFF_PASSWORD_RESET = "staff_password_reset"
    STAFF_PASSWORD_CHANGED = "staff_password_changed"


TEXTS = {
    Event.STAFF_LOGIN_FAILED: N_("Failed portal login as “%(username)s”"),
    Event.STAFF_LOGIN_LOCKED: N_(
        "Portal login locked after failed attempts, the last as “%(username)s”"
    ),
    Event.STAFF_CREATED: N_("Staff account “%(username)s” created as %(role)s"),
    Event.STAFF_RENAMED: N_("Staff account “%(username)s” renamed to “%(display_name)s”"),
    Event.STAFF_EMAIL_CHANGED: N_("E-mail address of “%(username)s” changed"),
    Event.STAFF_ROLE_CHANGED: N_("Role of “%(username)s” changed from %(old_role)s to %(role)s"),
    Event.STAFF_TOPICS_CHANGED: N_("Chat topics of “%(username)s” changed"),
    Event.STAFF_DEACTIVATED: N_("Staff account “%(username)s” deactivated"),
    Event.STAFF_REACTIVATED: N_("Staff account “%(username)s” reactivated"),
    Event.STAFF_PASSWORD_RESET: N_("New initial password for “%(username)s”"),
    Event.STAFF_PASSWORD_CHANGED: N_("“%(username)s” chose a new password"),
}
