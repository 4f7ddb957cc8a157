"""What one-time and offline codes write to the audit log, and how the log words it
(`Domain.audit_events`). The values are stored: never change one."""

from __future__ import annotations

import enum

from agent_portal.i18n import _
from isp_common.i18n import N_


class Event(enum.StrEnum):
    UNLOCK_CODE_ISSUED = "unlock_code_issued"
    UNLOCK_CODE_REVOKED = "unlock_code_revoked"
    UNLOCK_CODE_REDEEMED = "unlock_code_redeemed"
    UNLOCK_CODE_FAILED = "unlock_code_failed"
    UNLOCK_LOCKED = "unlock_locked"
    OFFLINE_CODE_SHOWN = "offline_code_shown"
    OFFLINE_CODE_USED = "offline_code_used"


TEXTS = {
    Event.UNLOCK_CODE_ISSUED: N_("Unlock code #%(code_id)s issued"),
    Event.UNLOCK_CODE_REVOKED: N_("Unlock code #%(code_id)s revoked"),
    Event.UNLOCK_CODE_REDEEMED: N_("Unlock code #%(code_id)s used (issued by %(issued_by)s)"),
    Event.UNLOCK_CODE_FAILED: N_("Unlock code refused (%(reason)s)"),
    Event.UNLOCK_LOCKED: N_("Unlocking locked after wrong codes"),
    Event.OFFLINE_CODE_SHOWN: N_("Offline code for “%(device_name)s” shown"),
    Event.OFFLINE_CODE_USED: N_("Offline code used on the device"),
}


def offline_code_note(entry) -> str:
    """Beside an offline code's use: who was shown it, or that nobody was."""
    if not entry.data.get("shown_by"):
        return _("No agent was shown this code.")
    return _("Shown by %(name)s") % {"name": entry.data["shown_by"]}


NOTES = {Event.OFFLINE_CODE_USED: offline_code_note}
