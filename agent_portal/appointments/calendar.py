"""The appointment as an iCalendar object (RFC 5545, with the `icalendar` package).

One entry per appointment: its UID never changes (`Appointment.uid`), so the invitation
(METHOD:REQUEST) and its cancellation (METHOD:CANCEL, a higher SEQUENCE, STATUS:CANCELLED)
name the same entry in the recipient's calendar. DTSTART and DTEND are in UTC: every
calendar shows them in its user's own zone. The organizer is the portal's own address and
the one attendee the recipient: neither side's address reaches the other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from agent_portal.appointments.models import Appointment

PRODID = "-//ISP Assistant//Appointments//EN"


def ics(
    appointment: Appointment,
    *,
    method: str,
    summary: str,
    description: str,
    organizer: str,
    attendee: str,
    now: datetime,
) -> str:
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", appointment.uid)
    event.add("dtstamp", now.astimezone(UTC))
    start = appointment.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=appointment.duration_minutes))
    event.add("sequence", appointment.sequence)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("summary", summary)
    event.add("description", description)
    event.add("organizer", icalendar.vCalAddress(f"mailto:{organizer}"))
    guest = icalendar.vCalAddress(f"mailto:{attendee}")
    guest.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
    guest.params["PARTSTAT"] = icalendar.vText("ACCEPTED")
    event.add("attendee", guest, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
