"""The hotline agent's side of an offer, on the conversation's pages:

- `GET /portal/chats/{id}/offer?q=…`: find an expert (the experts' own search, online
  experts first) with their categories, languages, prices and status, and the form to
  offer one with an internal note;
- `POST /portal/chats/{id}/offer`: the offer (`escalation.flows.offer`), answered with a
  redirect to the conversation, where the customer's answer shows live;
- `POST /portal/chats/{id}/offers/{offer_id}/withdraw`: takes an unanswered offer back.

Only the agent who holds the live chat writes in it: every route needs that relation
(`chat.access`); the service checks again that it is a hotline chat of theirs.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.chat import service as chat_service
from agent_portal.chat.access import Access
from agent_portal.chat.deps import ensure_page_access, require_conversation
from agent_portal.chat.errors import ChatError
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.escalation import flows, service
from agent_portal.expert_desk import availability
from agent_portal.expert_desk.pages import STATUS_LABELS
from agent_portal.expert_search import finder
from agent_portal.expert_search.search import Filters, search_experts
from agent_portal.fulltext import QUERY_MAX
from agent_portal.i18n import _
from agent_portal.params import Id, id_from_text
from agent_portal.web.templating import render
from isp_common.expert_desk_wire import ExpertStatus
from isp_common.i18n import N_

router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)
AGENTS = require_staff("agent", "admin")
HOLDS_IT = require_conversation(Access.write)
RESULTS = 20


def _language(request: Request) -> str:
    return getattr(request.state, "language", "de")


def offer_page(
    request: Request,
    *,
    db_session,
    settings,
    staff,
    conversation_id: int,
    query: str = "",
    chosen: int | None = None,
    note: str = "",
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    conversation = chat_service.get_conversation(
        db_session=db_session, conversation_id=conversation_id
    )
    if conversation is None:
        return render(request, "chat/not_found.html", status_code=404)
    ensure_page_access(staff, conversation, Access.write)
    now = utcnow()
    away_after = timedelta(minutes=settings.staff_away_minutes)
    page = search_experts(
        db_session=db_session,
        filters=Filters(query=query.strip()[:QUERY_MAX]),
        now=now,
        away_after=away_after,
        limit=RESULTS,
    )
    found = finder.results(page, _language(request)).experts
    status_of = availability.statuses(
        db_session=db_session,
        expert_ids=[expert.id for expert in found],
        now=now,
        away_after=away_after,
    )
    # Online first (as the search orders them), then the rest in the search's order.
    experts = sorted(found, key=lambda expert: status_of.get(expert.id) is not ExpertStatus.online)
    return render(
        request,
        "escalation/offer.html",
        status_code=status_code,
        conversation=conversation,
        customer=conversation.customer,
        experts=experts,
        status_of=lambda expert_id: status_of.get(expert_id, ExpertStatus.offline),
        status_label=lambda status: _(STATUS_LABELS[status]),
        open_offer=service.open_offer(db_session=db_session, conversation_id=conversation.id),
        query=query,
        chosen=chosen,
        note=note,
        note_max=service.NOTE_MAX_CHARS,
        error=error,
    )


@router.get(
    "/chats/{conversation_id}/offer",
    response_class=HTMLResponse,
    dependencies=[AGENTS, HOLDS_IT],
)
def offer_expert_page(
    request: Request,
    conversation_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    q: str = "",
):
    return offer_page(
        request,
        db_session=db_session,
        settings=settings,
        staff=staff,
        conversation_id=conversation_id,
        query=q,
    )


async def _again(request, staff, conversation_id, error: ChatError, **shown):
    live = request.app.state.live
    from agent_portal.auth import service as auth_service

    return await live.run_db(
        lambda db_session: offer_page(
            request,
            db_session=db_session,
            settings=live.settings,
            staff=auth_service.get_staff(db_session=db_session, staff_id=staff.id),
            conversation_id=conversation_id,
            error=error.translated(_),
            status_code=404 if error.code == "not_found" else 409,
            **shown,
        )
    )


@router.post(
    "/chats/{conversation_id}/offer",
    dependencies=[AGENTS, csrf_protected(), HOLDS_IT],
)
async def offer_expert(
    request: Request,
    conversation_id: Id,
    staff: CurrentStaff,
    expert_id: str = Form(""),
    note: str = Form(""),
    q: str = Form(""),
):
    live = request.app.state.live
    chosen = id_from_text(expert_id)
    try:
        if chosen is None:
            raise ChatError(N_("Choose the expert to offer."))
        await flows.offer(
            live, conversation_id=conversation_id, staff_id=staff.id, expert_id=chosen, note=note
        )
    except ChatError as error:
        return await _again(
            request, staff, conversation_id, error, query=q, chosen=chosen, note=note
        )
    return RedirectResponse(f"/portal/chats/{conversation_id}?done=offered", 303)


@router.post(
    "/chats/{conversation_id}/offers/{offer_id}/withdraw",
    dependencies=[AGENTS, csrf_protected(), HOLDS_IT],
)
async def withdraw_offer(request: Request, conversation_id: Id, offer_id: Id, staff: CurrentStaff):
    live = request.app.state.live
    try:
        await flows.withdraw(live, offer_id=offer_id, staff_id=staff.id)
    except ChatError as error:
        return await _again(request, staff, conversation_id, error)
    return RedirectResponse(f"/portal/chats/{conversation_id}?done=offer_withdrawn", 303)
