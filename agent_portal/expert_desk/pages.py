"""The expert's desk in the portal:

- `GET /portal/expert`: the expert's inbox: pre-chats and offline messages, each opening
  the chat's own conversation page, the expert's availability (online or away) with the
  way back, and the link to their profile (`experts`' pages); `/portal/expert/fragment`
  is its body alone, fetched again on change;
- `POST /portal/expert/status`: online or away (a form, answered with a redirect).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from agent_portal.appointments import pages as appointment_pages
from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.chat import page_data as chat_page_data
from agent_portal.customers.pages import Formats
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.expert_desk import availability, flows, service
from agent_portal.experts import service as experts_service
from agent_portal.i18n import _
from agent_portal.web.flash import see_other
from agent_portal.web.templating import render
from isp_common.expert_desk_wire import ExpertStatus
from isp_common.i18n import N_

router = APIRouter(prefix="/portal/expert", tags=["portal"], include_in_schema=False)
EXPERT = require_staff("expert")
STATUS_LABELS = {
    ExpertStatus.online: N_("Online"),
    ExpertStatus.away: N_("Away"),
    ExpertStatus.busy: N_("In a session"),
    ExpertStatus.offline: N_("Offline"),
}
NOTICES = {"closed": N_("The conversation has been closed.")}


def _inbox(request: Request, db_session, settings, staff, template: str, notice=None):
    now = utcnow()
    status = availability.status_of_staff(
        db_session=db_session,
        staff_id=staff.id,
        now=now,
        away_after=timedelta(minutes=settings.staff_away_minutes),
    )
    return render(
        request,
        template,
        rows=service.inbox(db_session=db_session, staff_id=staff.id),
        status=status,
        status_label=_(STATUS_LABELS[status]),
        away_reason=availability.away_reason(db_session=db_session, staff_id=staff.id),
        status_label_of=chat_page_data.status_label,
        fmt=Formats(settings.time_zone, now),
        profile=experts_service.profile_of_staff(db_session=db_session, staff_id=staff.id),
        message=notice,
        **appointment_pages.start_page_context(db_session, settings, staff, now),
    )


@router.get("", response_class=HTMLResponse, dependencies=[EXPERT])
def expert_inbox(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    done: str = "",
):
    notice = _(NOTICES[done]) if done in NOTICES else None
    return _inbox(request, db_session, settings, staff, "expert_desk/inbox.html", notice)


@router.get("/fragment", response_class=HTMLResponse, dependencies=[EXPERT])
def expert_inbox_fragment(
    request: Request, db_session: SessionDep, settings: SettingsDep, staff: CurrentStaff
):
    return _inbox(request, db_session, settings, staff, "expert_desk/_inbox_body.html")


@router.post("/status", dependencies=[EXPERT, csrf_protected()])
async def expert_status(request: Request, staff: CurrentStaff, status: str = Form("")):
    if status not in ("online", "away"):
        live = request.app.state.live
        return await live.run_db(
            lambda db_session: _bad_status(request, db_session, live.settings, staff)
        )
    await flows.set_status(request.app.state.live, staff_id=staff.id, online=status == "online")
    return see_other("/portal/expert")


def _bad_status(request, db_session, settings, staff):
    response = _inbox(
        request,
        db_session,
        settings,
        staff,
        "expert_desk/inbox.html",
    )
    response.status_code = 400
    return response
