"""An appointment as the assistant's page shows it, in the assistant's language: the start
in this computer's own zone with the zone named, the duration and the terms written with
`isp_common.formatting`, the status in words; and the notices of the appointment board
(a new proposal, a cancellation by the expert, the reminder) as plain sentences."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from assistant.escalation.appointment_board import CANCELLED, PROPOSED, Notice
from assistant.i18n import _
from isp_common import formatting
from isp_common.appointments_wire import AppointmentStatus, AppointmentTerms, AppointmentView

UTC_NAMES = {"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu"}


def computer_zone() -> str:
    """The name of this computer's time zone: its IANA name where the system says it
    (the TZ variable, /etc/localtime), else the system's own name for it; UTC as "UTC"."""
    name = _zone_name()
    return "UTC" if name in UTC_NAMES else name


def _zone_name() -> str:
    named = os.environ.get("TZ", "").lstrip(":")
    if named and "/" in named:
        try:
            ZoneInfo(named)
            return named
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    return datetime.now().astimezone().tzname() or "UTC"


def terms_text(appointment: AppointmentView, language: str) -> str:
    if appointment.terms is AppointmentTerms.free:
        return _("Free of charge")
    if appointment.terms is AppointmentTerms.fixed:
        price = formatting.money(appointment.price or 0, appointment.currency, locale=language)
        return _("Fixed price {price}").format(price=price)
    price = formatting.money(
        appointment.price_per_minute or 0, appointment.currency, locale=language
    )
    return _("{price} per minute").format(price=price)


def status_text(status: AppointmentStatus) -> str:
    return {
        AppointmentStatus.proposed: _("Proposed: awaiting your answer"),
        AppointmentStatus.accepted: _("Accepted"),
        AppointmentStatus.declined: _("Declined"),
        AppointmentStatus.cancelled: _("Cancelled"),
    }[status]


def view(appointment: AppointmentView, language: str) -> dict:
    """For the page: the start in this computer's own zone (zone=None), the zone named."""
    return {
        "id": appointment.id,
        "conversation_id": appointment.conversation_id,
        "expert": appointment.expert_name,
        "title": _("Appointment with {name}").format(name=appointment.expert_name),
        "when": formatting.moment(appointment.starts_at, locale=language, zone=None),
        "zone": computer_zone(),
        "starts_at": appointment.starts_at.isoformat(),
        "duration": formatting.duration(appointment.duration_minutes * 60, locale=language),
        "terms": terms_text(appointment, language),
        "status": appointment.status.value,
        "status_text": status_text(appointment.status),
    }


def notice_view(notice: Notice, language: str) -> dict:
    appointment = notice.appointment
    values = {
        "name": appointment.expert_name,
        "when": formatting.moment(appointment.starts_at, locale=language, zone=None),
        "zone": computer_zone(),
    }
    if notice.kind == PROPOSED:
        text = _("{name} proposes an appointment: {when} ({zone}). Accept or decline it.")
    elif notice.kind == CANCELLED:
        text = _("{name} cancelled the appointment of {when} ({zone}).")
    else:
        text = _("Reminder: your appointment with {name} begins soon, {when} ({zone}).")
    return {
        "key": notice.key,
        "kind": notice.kind,
        "appointment_id": appointment.id,
        "conversation_id": appointment.conversation_id,
        "text": text.format(**values),
    }
