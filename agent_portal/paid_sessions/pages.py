"""The expert's meter panel on the chat page of their pre-chat (`chat/conversation.html`
includes `paid_sessions/_meter_panel.html` with `panel(...)`):

- no open session: propose one per minute at the profile's price, or at its fixed price;
- proposed: waiting for the customer's confirmation; the expert may withdraw it;
- running: the meter (time, amount, maximum, what is left, the 80 % warning); pause, end
  with a waiver;
- paused: ask the customer to resume; end with a waiver;
- ended: the summary (time, amount, waiver, tip, the expert's share).

`GET /portal/chats/{id}/paid-session` draws the panel alone: the page's script
(`/static/live/paid_session.js`) fetches it when the live channel brings `session.meter`
or `session.summary` for the conversation, so figures are formatted here, by
`isp_common.formatting`, in the tab's language. Each form carries a `command_id` made
when the panel was drawn, so a form sent twice acts once.
"""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from babel import numbers as babel_numbers
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.chat import service as chat_service
from agent_portal.chat.access import Access
from agent_portal.chat.deps import require_conversation
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.experts.models import ExpertProfile
from agent_portal.i18n import _, translator
from agent_portal.paid_sessions import billing, flows, service
from agent_portal.paid_sessions.errors import AmountNotUnderstood, PaidSessionError
from agent_portal.params import Id
from agent_portal.web.templating import render
from isp_common import formatting
from isp_common.i18n import N_
from isp_common.live_wire import ConversationKind

router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)
EXPERTS = require_staff("expert")
HOLDS_IT = require_conversation(Access.write)

STATUS_TEXTS = {
    "proposed": N_("Proposed: waiting for the customer to confirm a maximum."),
    "running": N_("Running."),
    "paused": N_("Paused."),
    "ended": N_("Ended."),
    "cancelled": N_("Declined or withdrawn."),
}
PAUSE_TEXTS = {
    "expert": N_("You paused it."),
    "customer": N_("The customer paused it."),
    "disconnected": N_("Paused: a side lost the connection."),
    "maximum": N_("Paused: the customer's maximum is reached."),
}


def panel(*, db_session: Session, conversation, staff, settings, now, language: str) -> dict | None:
    """What the meter panel shows, for the expert who holds this pre-chat; None for
    everyone else."""
    if (
        staff is None
        or conversation.kind != ConversationKind.expert_prechat.value
        or conversation.agent_id != staff.id
    ):
        return None
    profile = db_session.scalar(select(ExpertProfile).where(ExpertProfile.staff_id == staff.id))
    session = service.latest_session(db_session=db_session, conversation_id=conversation.id)
    config = service.Config.of(settings)

    def money(minor: int, currency: str) -> str:
        return formatting.money(minor, currency, locale=language)

    shown: dict = {
        "conversation_id": conversation.id,
        "closed": conversation.status == "closed",
        "command_id": secrets.token_urlsafe(12),
        "per_minute": (
            money(profile.price_per_minute, profile.currency)
            if profile and profile.price_per_minute
            else None
        ),
        "fixed": (
            money(profile.price_per_session, profile.currency)
            if profile and profile.price_per_session
            else None
        ),
        "billing_text": _(billing.BILLING_TEXTS[config.billing_rule])
        % {
            "price": money(profile.price_per_minute, profile.currency)
            if profile and profile.price_per_minute
            else "–"
        },
        "session": None,
    }
    if session is None:
        return shown
    meter = service.meter(session, now)
    shown["session"] = {
        "id": session.id,
        "status": session.status,
        "status_text": _(STATUS_TEXTS[session.status]),
        "pause_text": _(PAUSE_TEXTS[session.paused_reason]) if session.paused_reason else "",
        "terms": session.terms,
        "currency": session.currency,
        "price": money(session.price, session.currency),
        "time": formatting.duration(meter.billed_seconds, locale=language),
        "amount": money(meter.amount, session.currency),
        "amount_minor": meter.amount,
        "maximum": money(meter.maximum, session.currency),
        "remaining": money(meter.remaining, session.currency),
        "warning": meter.warning,
        "resume_requested": session.resume_requested,
        "billing_text": service.billing_text(session, _, language),
        "percent": min(100, meter.amount * 100 // meter.maximum) if meter.maximum else 0,
    }
    if session.status == "ended":
        summary = service.summary(db_session=db_session, session=session, config=config)
        shown["summary"] = {
            "minutes": formatting.number(summary.minutes, locale=language),
            "amount": money(summary.amount, session.currency),
            "waived": money(summary.waived, session.currency),
            "charged": money(summary.charged, session.currency),
            "tip": money(summary.tip, session.currency),
            "share": money(summary.split.expert + summary.tip, session.currency),
            "fee": money(summary.split.platform_fee, session.currency),
        }
    return shown


def minor_units(text: str, currency: str) -> int:
    """A money amount as the expert types it ("2.50", "2,50", "") in minor units."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return 0
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise AmountNotUnderstood() from None
    digits = babel_numbers.get_currency_precision(currency)
    minor = value.scaleb(digits)
    if not value.is_finite() or minor != minor.to_integral_value() or minor < 0:
        raise AmountNotUnderstood()
    return int(minor)


def _panel_response(request: Request, db_session, settings, staff, conversation_id: int):
    conversation = chat_service.get_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    shown = panel(
        db_session=db_session,
        conversation=conversation,
        staff=staff,
        settings=settings,
        now=utcnow(),
        language=translator.language.get(),
    )
    if shown is None:
        return HTMLResponse("", status_code=404)
    return render(request, "paid_sessions/_meter_panel.html", paid_session=shown)


@router.get(
    "/chats/{conversation_id}/paid-session",
    response_class=HTMLResponse,
    dependencies=[EXPERTS, HOLDS_IT],
)
def meter_panel(
    request: Request,
    conversation_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
):
    return _panel_response(request, db_session, settings, staff, conversation_id)


async def _refused(request: Request, conversation_id: int, staff, error: PaidSessionError):
    """The chat page again, with the refusal, answered with its status."""
    from agent_portal.auth import service as auth_service
    from agent_portal.chat.pages import conversation_response

    live = request.app.state.live
    return await live.run_db(
        lambda db_session: conversation_response(
            request,
            db_session=db_session,
            settings=live.settings,
            staff=auth_service.get_staff(db_session=db_session, staff_id=staff.id),
            conversation_id=conversation_id,
            status_code=error.status_code,
            error=error.translated(_),
        )
    )


async def _act(request: Request, page_of: int, staff, command: str, **kwargs):
    """The expert's command, then back to the chat page `page_of`; a refusal is shown on
    it."""
    sender = service.Sender("expert", staff.id, staff.name)
    try:
        await flows.run(request.app.state.live, command, sender=sender, **kwargs)
    except PaidSessionError as error:
        return await _refused(request, page_of, staff, error)
    return RedirectResponse(f"/portal/chats/{page_of}#paid-session", 303)


FORMS = [EXPERTS, csrf_protected(), HOLDS_IT]


@router.post("/chats/{conversation_id}/paid-session/propose", dependencies=FORMS)
async def propose(
    request: Request,
    conversation_id: Id,
    staff: CurrentStaff,
    command_id: str = Form(..., min_length=1, max_length=64),
    terms: str = Form("per_minute"),
):
    return await _act(
        request,
        conversation_id,
        staff,
        "propose",
        command_id=command_id,
        conversation_id=conversation_id,
        terms=terms if terms in ("per_minute", "fixed") else "per_minute",
    )


STEPS = {"withdraw": "cancel", "pause": "pause", "resume": "request_resume"}


def _session_step(name: str, command: str):
    async def act(
        request: Request,
        conversation_id: Id,
        session_id: Id,
        staff: CurrentStaff,
        command_id: str = Form(..., min_length=1, max_length=64),
    ):
        return await _act(
            request, conversation_id, staff, command, command_id=command_id, session_id=session_id
        )

    act.__name__ = f"paid_session_{name}"
    router.post(
        f"/chats/{{conversation_id}}/paid-session/{{session_id}}/{name}", dependencies=FORMS
    )(act)


for _name, _command in STEPS.items():
    _session_step(_name, _command)


@router.post("/chats/{conversation_id}/paid-session/{session_id}/end", dependencies=FORMS)
async def end(
    request: Request,
    conversation_id: Id,
    session_id: Id,
    staff: CurrentStaff,
    command_id: str = Form(..., min_length=1, max_length=64),
    waive: str = Form(""),
    currency: str = Form("CHF"),
):
    """Ends the session; `waive` (in the currency, e.g. "2.50") is left unpaid."""
    try:
        waived = minor_units(waive, currency if len(currency) == 3 else "CHF")
    except PaidSessionError as error:
        return await _refused(request, conversation_id, staff, error)
    return await _act(
        request,
        conversation_id,
        staff,
        "end",
        command_id=command_id,
        session_id=session_id,
        waive=waived,
    )
