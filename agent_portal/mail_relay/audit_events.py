"""What the mail relay writes to the audit log, and how the log words it
(`Domain.audit_events`). The values are stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    MAIL_RELAY_REPLY_REFUSED = "mail_relay_reply_refused"


TEXTS = {
    Event.MAIL_RELAY_REPLY_REFUSED: N_(
        "E-mail reply to conversation %(conversation_id)s refused: sent by %(sender)s"
    ),
}
