"""What the appointments write to the audit log, and how the log words it. The values
are stored: never change one."""

from __future__ import annotations

import enum

from isp_common.i18n import N_


class Event(enum.StrEnum):
    APPOINTMENT_PROPOSED = "appointment_proposed"
    APPOINTMENT_ACCEPTED = "appointment_accepted"
    APPOINTMENT_DECLINED = "appointment_declined"
    APPOINTMENT_CANCELLED = "appointment_cancelled"


TEXTS = {
    Event.APPOINTMENT_PROPOSED: N_(
        "Appointment %(appointment_id)s proposed for %(starts_at)s (%(duration_minutes)s min)"
    ),
    Event.APPOINTMENT_ACCEPTED: N_("Appointment %(appointment_id)s accepted"),
    Event.APPOINTMENT_DECLINED: N_("Appointment %(appointment_id)s declined"),
    Event.APPOINTMENT_CANCELLED: N_("Appointment %(appointment_id)s cancelled by the %(by)s"),
}
