"""The portal's side of screen sharing:

- on a conversation page, the card "Screen sharing" (`GET /portal/chats/{id}/screen-card`,
  loaded and redrawn by `static/live/screen_card.js` when a consent changes): "Ask to see
  the screen" with the reason, and each view asked there with how it stands;
- `POST /portal/chats/{id}/screen` asks the customer (a consent of the kind screen_view);
- `GET /portal/screen/{consent_id}`: the viewer (`static/live/screen_view.js`), only for
  the view's asker; `GET .../state` says how the view and its control stand (JSON);
- `POST /portal/screen/{consent_id}/control` asks for control, `.../stop` ends the view,
  or only the control (`what=control`).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.auth.access import RELATION_ATTRIBUTE
from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.auth.errors import RelationForbidden
from agent_portal.chat import access as chat_access
from agent_portal.chat import service as chat_service
from agent_portal.chat.access import Access
from agent_portal.chat.deps import require_conversation
from agent_portal.chat.pages import conversation_response
from agent_portal.consent import page_data as consent_page_data
from agent_portal.consent import states
from agent_portal.consent.models import ConsentRequest
from agent_portal.customers.pages import Formats
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.errors import PortalError
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.screen_sharing import flows, service
from agent_portal.screen_sharing.errors import N_, NotTheViewer
from agent_portal.web.flash import see_other
from agent_portal.web.templating import render
from isp_common.screen_wire import (
    QUALITY_DEFAULT,
    QUALITY_MAX,
    QUALITY_MIN,
    QUALITY_MOVING_MAX,
)

ASKERS = require_staff(*flows.ASKERS)
router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)

STATE_TEXTS = {
    "sharing": N_("The customer is sharing the screen."),
    "paused": N_("The customer has paused the sharing for a moment."),
    "stopped": N_("The customer has stopped the sharing."),
    "unavailable": N_("Sharing is not available on the customer's desktop."),
    "waiting": N_("Waiting for the first picture…"),
    "view_pending": N_("Waiting for the customer's answer…"),
    "ended": N_("The screen view has ended."),
    "control_pending": N_("Waiting for the customer to allow remote control…"),
    "control_granted": N_(
        "You control the screen: pointer and keyboard in the picture go to the customer."
    ),
    "control_refused": N_("The customer did not allow remote control."),
}
REASON_TEXTS = {
    "wayland": N_(
        "The customer's desktop (Wayland) offers no screen capture the assistant can use."
    ),
    "no_display": N_("The customer's computer has no screen to share."),
    "window_gone": N_("The shared window was closed."),
    "capture_failed": N_("The customer's screen could not be captured."),
}


def _require_view_asker():
    def check_view(consent_id: str, db_session: SessionDep, staff: CurrentStaff):
        consent = db_session.get(ConsentRequest, consent_id)
        if consent is None:
            return  # the route answers 404 in its own words
        if consent.kind != service.VIEW or consent.requested_by_id != staff.id:
            raise RelationForbidden(
                N_("Only the staff member who asked to see this screen may view or control it.")
            )

    setattr(check_view, RELATION_ATTRIBUTE, "screen view: its asker")
    return Depends(check_view)


VIEW_ASKER = _require_view_asker()


def card_context(*, db_session: Session, conversation, staff, settings) -> dict:
    now = utcnow()
    views = [
        view
        for view in service.views_in_conversation(
            db_session=db_session, conversation_id=conversation.id
        )
        if view.requested_by_id == staff.id
    ][:5]
    can_ask = (
        conversation.status != "closed"
        and conversation.device_id is not None
        and staff.role in flows.ASKERS
        and chat_access.refusal(staff, conversation, Access.write) is None
    )
    return {
        "conversation": conversation,
        "views": views,
        "status_key": lambda consent: states.effective_status(consent, now),
        "status_label": lambda consent: consent_page_data.status_label(consent, now, staff.role),
        "can_ask": can_ask,
        "fmt": Formats(settings.time_zone, now),
    }


@router.get(
    "/chats/{conversation_id}/screen-card",
    response_class=HTMLResponse,
    dependencies=[ASKERS, require_conversation(Access.see)],
)
def screen_card(
    request: Request,
    conversation_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
):
    conversation = chat_service.get_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    if conversation is None:
        return HTMLResponse("", status_code=404)
    return render(
        request,
        "screen_sharing/_card.html",
        **card_context(
            db_session=db_session, conversation=conversation, staff=staff, settings=settings
        ),
    )


async def _conversation_with_error(request, conversation_id: int, staff, error: PortalError):
    live = request.app.state.live
    return await live.run_db(
        lambda db_session: conversation_response(
            request,
            db_session=db_session,
            settings=live.settings,
            staff=auth_service.get_staff(db_session=db_session, staff_id=staff.id),
            conversation_id=conversation_id,
            status_code=404 if error.code == "not_found" else 409,
            error=error.translated(_),
        )
    )


@router.post(
    "/chats/{conversation_id}/screen",
    dependencies=[ASKERS, csrf_protected(), require_conversation(Access.write)],
)
async def ask_to_see(
    request: Request, conversation_id: Id, staff: CurrentStaff, reason: str = Form("")
):
    live = request.app.state.live
    try:
        await flows.ask_to_see(
            live, conversation_id=conversation_id, staff_id=staff.id, reason=reason
        )
    except PortalError as error:
        return await _conversation_with_error(request, conversation_id, staff, error)
    return see_other(f"/portal/chats/{conversation_id}", fragment="screen-sharing")


def _viewer_context(db_session: Session, consent: ConsentRequest, settings) -> dict:
    view = service.view_of(db_session=db_session, consent_id=consent.id)
    return {
        "consent": consent,
        "customer": consent.customer,
        "conversation_id": view.conversation_id if view else None,
        "fmt": Formats(settings.time_zone, utcnow()),
        "screen_config": {
            "consentId": consent.id,
            "deviceId": consent.device_id,
            "stateUrl": f"/portal/screen/{consent.id}/state",
            "quality": {
                "min": QUALITY_MIN,
                "max": QUALITY_MOVING_MAX,
                "start": QUALITY_DEFAULT,
                "refine": QUALITY_MAX,
            },
            "texts": {
                **{key: _(text) for key, text in STATE_TEXTS.items()},
                "reasons": {key: _(text) for key, text in REASON_TEXTS.items()},
                "fps": _("%(fps)s pictures/s"),
                "latency": _("%(ms)s ms round trip"),
                "noPicture": _("no picture yet"),
                "fullScreen": _("Full screen"),
                "leaveFullScreen": _("Leave full screen"),
            },
        },
    }


def _not_found(request):
    return render(request, "screen_sharing/not_found.html", status_code=404)


def _viewer(request, db_session, consent_id, settings, *, status_code=200, error=None):
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None:
        return _not_found(request)
    return render(
        request,
        "screen_sharing/viewer.html",
        status_code=status_code,
        page_url=f"/portal/screen/{consent_id}",
        error=error,
        **_viewer_context(db_session, consent, settings),
    )


@router.get("/screen/{consent_id}", response_class=HTMLResponse, dependencies=[ASKERS, VIEW_ASKER])
def viewer_page(request: Request, consent_id: str, db_session: SessionDep, settings: SettingsDep):
    return _viewer(request, db_session, consent_id, settings)


@router.get("/screen/{consent_id}/state", dependencies=[ASKERS, VIEW_ASKER])
def view_state(consent_id: str, db_session: SessionDep):
    """How the view and its control stand now: `view` and `control` are consent statuses
    (`control` None when never asked; the newest control of the view)."""
    now = utcnow()
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None:
        return JSONResponse({"code": "not_found"}, status_code=404)
    controls = [
        item
        for item in db_session.query(ConsentRequest)
        .filter(ConsentRequest.parent_id == consent_id, ConsentRequest.kind == service.CONTROL)
        .order_by(ConsentRequest.created_at.desc())
    ]
    control = controls[0] if controls else None
    return JSONResponse(
        {
            "view": states.effective_status(consent, now),
            "control": states.effective_status(control, now) if control else None,
            "control_id": control.id if control else None,
        }
    )


async def _viewer_with_error(request, consent_id: str, error: PortalError):
    live = request.app.state.live
    return await live.run_db(
        lambda db_session: _viewer(
            request,
            db_session,
            consent_id,
            live.settings,
            status_code=409,
            error=error.translated(_),
        )
    )


@router.post("/screen/{consent_id}/control", dependencies=[ASKERS, csrf_protected(), VIEW_ASKER])
async def ask_for_control(request: Request, consent_id: str, staff: CurrentStaff):
    live = request.app.state.live
    if await live.run_db(service.view_of, consent_id=consent_id) is None:
        return _not_found(request)
    try:
        await flows.ask_for_control(live, view_id=consent_id, staff_id=staff.id)
    except PortalError as error:
        return await _viewer_with_error(request, consent_id, error)
    return see_other(f"/portal/screen/{consent_id}")


@router.post("/screen/{consent_id}/stop", dependencies=[ASKERS, csrf_protected(), VIEW_ASKER])
async def stop(request: Request, consent_id: str, staff: CurrentStaff, what: str = Form("view")):
    live = request.app.state.live

    def target(db_session: Session) -> tuple[str | None, int | None]:
        view = service.view_of(db_session=db_session, consent_id=consent_id)
        if what != "control":
            return consent_id, view.conversation_id if view else None
        control = service.open_control_of(db_session=db_session, view_id=consent_id, now=utcnow())
        return (control.id if control else None), None

    if await live.run_db(service.view_of, consent_id=consent_id) is None:
        return _not_found(request)
    stop_id, conversation_id = await live.run_db(target)
    try:
        if stop_id is not None:
            await flows.stop(live, consent_id=stop_id, staff_id=staff.id)
    except NotTheViewer as error:
        return await _viewer_with_error(request, consent_id, error)
    if what == "control" or conversation_id is None:
        return see_other(f"/portal/screen/{consent_id}")
    return see_other(f"/portal/chats/{conversation_id}", fragment="screen-sharing")
