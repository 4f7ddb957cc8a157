"""The expert's appointment pages:

- `GET /portal/expert/appointments` (experts): the expert's proposals and appointments,
  with the form to propose one in a conversation of theirs;
- `POST /portal/expert/appointments` (experts, a form): propose; refusals say why and
  store nothing;
- `POST /portal/expert/appointments/{appointment_id}/cancel` (experts, their own).

Each change is told to the other side by socket (`notices`) and, where it says, by e-mail.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import available_timezones

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from agent_portal.appointments import notices, service
from agent_portal.appointments.errors import AppointmentError
from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.customers.pages import Formats
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.errors import PortalError
from agent_portal.expert_desk import service as desk
from agent_portal.experts import service as experts_service
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.web.flash import see_other
from agent_portal.web.templating import render
from isp_common.appointments_wire import AppointmentTerms
from isp_common.i18n import N_

router = APIRouter(prefix="/portal/expert/appointments", tags=["portal"], include_in_schema=False)
EXPERT = require_staff("expert")


def expert_zone(db_session, settings, staff) -> str:
    """The expert's own zone (their profile), else the portal's."""
    return experts_service.time_zone_of(
        db_session=db_session, staff_id=staff.id, default=settings.time_zone
    )


def _page(request, db_session, settings, staff, *, error=None, form=None, status_code=200):
    now = utcnow()
    zone = expert_zone(db_session, settings, staff)
    response = render(
        request,
        "appointments/appointments.html",
        appointments=service.for_expert(db_session=db_session, staff_id=staff.id, now=now),
        conversations=[
            row.conversation
            for row in desk.inbox(db_session=db_session, staff_id=staff.id)
            if row.conversation.status != "closed"
        ],
        terms_label=lambda appointment: _terms_label(appointment),
        status_label=lambda status: _(STATUS_LABELS[status]),
        fmt=AppointmentFormats(zone, now),
        default_zone=zone,
        zones=sorted(available_timezones()),
        rules=service.Rules.from_settings(settings),
        error=error,
        form=form or {},
    )
    response.status_code = status_code
    return response


class AppointmentFormats(Formats):
    def appointment(self, appointment) -> str:
        """The start in the expert's own zone (`self.zone`), with the zone's name."""
        from isp_common import formatting

        moment = formatting.moment(appointment.starts_at, locale=self.locale, zone=self.zone)
        return f"{moment} ({self.zone})"


def start_page_context(db_session, settings, staff, now) -> dict:
    """The expert's coming appointments for the start page (`expert_desk`)."""
    return {
        "appointments": service.for_expert(db_session=db_session, staff_id=staff.id, now=now),
        "appointment_fmt": AppointmentFormats(expert_zone(db_session, settings, staff), now),
        "terms_label": _terms_label,
        "appointment_status_label": lambda status: _(STATUS_LABELS[status]),
    }


STATUS_LABELS = {
    "proposed": N_("Awaiting the customer's answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
}


def _terms_label(appointment) -> str:
    from agent_portal.appointments import texts
    from agent_portal.i18n import translator

    return texts.terms(appointment, translator.language.get())


@router.get("", response_class=HTMLResponse, dependencies=[EXPERT])
def expert_appointments(
    request: Request, db_session: SessionDep, settings: SettingsDep, staff: CurrentStaff
):
    return _page(request, db_session, settings, staff)


@router.post("", dependencies=[EXPERT, csrf_protected()])
async def propose(
    request: Request,
    staff: CurrentStaff,
    conversation_id: int = Form(0),
    day: str = Form(""),
    start_time: str = Form(""),
    time_zone: str = Form(""),
    duration_minutes: int = Form(0),
    terms: str = Form("free"),
    price: str = Form(""),
):
    live = request.app.state.live
    settings = live.settings
    form = {
        "conversation_id": conversation_id,
        "day": day,
        "start_time": start_time,
        "time_zone": time_zone,
        "duration_minutes": duration_minutes,
        "terms": terms,
        "price": price,
    }

    def work(db_session):
        try:
            try:
                local_start = datetime.combine(
                    date.fromisoformat(day), time.fromisoformat(start_time)
                )
            except ValueError:
                raise _BadForm(N_("Enter the date and the time of the appointment.")) from None
            if terms not in {t.value for t in AppointmentTerms}:
                raise _BadForm(N_("Choose the terms: per minute, a fixed price or free."))
            cents = None
            if terms == AppointmentTerms.fixed.value:
                cents = _cents(price)
            appointment = service.propose(
                db_session=db_session,
                conversation_id=conversation_id,
                staff_id=staff.id,
                local_start=local_start,
                time_zone=time_zone or expert_zone(db_session, settings, staff),
                duration_minutes=duration_minutes,
                terms=terms,
                price=cents,
                now=live.now(),
                rules=service.Rules.from_settings(settings),
            )
        except (AppointmentError, _BadForm) as refused:
            db_session.rollback()
            text = refused.translated(_)
            return None, _page(
                request, db_session, settings, staff, error=text, form=form, status_code=400
            )
        found = notices.targets(db_session, appointment)
        db_session.commit()
        return found, None

    found, refused_page = await live.run_db(work)
    if refused_page is not None:
        return refused_page
    await notices.publish(live, found)
    return see_other("/portal/expert/appointments")


class _BadForm(PortalError):
    """The form's own fields do not make an appointment (before the service is asked)."""

    code = "appointment_form"


def _cents(text: str) -> int:
    """A price typed in the currency's main unit ("45", "45.50", "45,50") as minor units."""
    cleaned = text.strip().replace("'", "").replace(" ", "").replace(",", ".")
    whole, _dot, fraction = cleaned.partition(".")
    if not whole.isdigit() or (fraction and (not fraction.isdigit() or len(fraction) > 2)):
        raise _BadForm(N_("Enter the fixed price as a number, e.g. 45 or 45.50."))
    return int(whole) * 100 + int((fraction or "0").ljust(2, "0"))


@router.post("/{appointment_id}/cancel", dependencies=[EXPERT, csrf_protected()])
async def expert_cancel(request: Request, appointment_id: Id, staff: CurrentStaff):
    live = request.app.state.live

    def work(db_session):
        appointment = service.cancel(
            db_session=db_session,
            appointment_id=appointment_id,
            staff_id=staff.id,
            now=live.now(),
            rules=service.Rules.from_settings(live.settings),
        )
        found = notices.targets(db_session, appointment)
        db_session.commit()
        return found

    found = await live.run_db(work)
    await notices.publish(live, found)
    return see_other("/portal/expert/appointments")
