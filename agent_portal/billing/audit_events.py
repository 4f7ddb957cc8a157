"""What billing writes to the audit log, and how the log words it (`Domain.audit_events`).
The values are stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    BILLING_REFUNDED = "billing_refunded"
    BILLING_DISPUTE_RAISED = "billing_dispute_raised"
    BILLING_DISPUTE_RESOLVED = "billing_dispute_resolved"


TEXTS = {
    Event.BILLING_REFUNDED: N_("Refund for paid session %(session_id)s: %(reason)s"),
    Event.BILLING_DISPUTE_RAISED: N_("Paid session %(session_id)s disputed: %(reason)s"),
    Event.BILLING_DISPUTE_RESOLVED: N_(
        "Dispute of paid session %(session_id)s resolved: %(resolution)s"
    ),
}
