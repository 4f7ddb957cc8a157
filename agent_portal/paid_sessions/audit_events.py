"""What paid sessions write to the audit log (`Domain.audit_events`). The values are
stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    PROPOSED = "paid_session_proposed"
    CANCELLED = "paid_session_cancelled"
    STARTED = "paid_session_started"
    PAUSED = "paid_session_paused"
    RESUME_REQUESTED = "paid_session_resume_requested"
    RESUMED = "paid_session_resumed"
    RAISED = "paid_session_raised"
    WARNED = "paid_session_warned"
    ENDED = "paid_session_ended"
    TIPPED = "paid_session_tipped"
    HOLD_RENEWED = "paid_session_hold_renewed"


TEXTS = {
    Event.PROPOSED: N_("Paid session %(session_id)s proposed in conversation %(conversation_id)s"),
    Event.CANCELLED: N_("Paid session %(session_id)s declined or withdrawn"),
    Event.STARTED: N_("Paid session %(session_id)s started with a maximum of %(maximum)s"),
    Event.PAUSED: N_("Paid session %(session_id)s paused (%(reason)s)"),
    Event.RESUME_REQUESTED: N_("Resuming paid session %(session_id)s requested"),
    Event.RESUMED: N_("Paid session %(session_id)s resumed"),
    Event.RAISED: N_("Maximum of paid session %(session_id)s raised to %(maximum)s"),
    Event.WARNED: N_("Paid session %(session_id)s at 80 percent of its maximum"),
    Event.ENDED: N_("Paid session %(session_id)s ended: %(amount)s, %(waived)s waived"),
    Event.TIPPED: N_("Tip of %(amount)s for paid session %(session_id)s"),
    Event.HOLD_RENEWED: N_("Hold of %(amount)s for paid session %(session_id)s renewed"),
}
