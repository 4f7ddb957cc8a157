"""The local API of paid sessions on the live help page (the frames go through
`assistant.escalation.paid_sessions.SessionClient`; what the page shows of a session comes
with the conversation in `/api/live`):

    POST /api/live/conversations/{id}/sessions      ask the expert for one {terms}
    POST /api/live/sessions/{id}/confirm            start it {maximum: as typed}
    POST /api/live/sessions/{id}/decline            turn the proposal down
    POST /api/live/sessions/{id}/pause              pause it
    POST /api/live/sessions/{id}/resume             resume it (also: yes to the expert's request)
    POST /api/live/sessions/{id}/raise              raise the maximum {amount: as typed, the more}
    POST /api/live/sessions/{id}/end                end it
    POST /api/live/sessions/{id}/tip                a tip after the end {amount: as typed}

Every body may carry the page's `command_id` for the action: a page that asks again after a
failed request sends the same one, and the action is applied once. Without one the
assistant chooses it. The answer: 200 `{"done": true, "command_id"}` once the server has
applied it; 202 `{"pending": true, "command_id"}` when there is no answer yet (no
connection: it is sent again with the same id until the server answers, and the page shows
it as on its way); a typed amount that cannot be used 422 with the customer's sentence
(`amount_*` codes), nothing sent; a session that is not there 404, one that cannot do this
now 409; the server's refusal 409 with its code.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.escalation import session_texts
from assistant.escalation.errors import MessageRefused, NotLinked, ServerRefused
from assistant.escalation.paid_sessions import PaidSession, SessionClient, new_command_id
from assistant.escalation.session_view import read_maximum, read_raise, read_tip
from assistant.i18n import _
from isp_common.paid_sessions_wire import (
    COMMAND_ID_MAX,
    SessionConfirm,
    SessionDecline,
    SessionEnd,
    SessionPause,
    SessionPropose,
    SessionRaise,
    SessionResume,
    SessionTerms,
    SessionTip,
)

router = APIRouter(prefix="/api/live")

ANSWER_WAIT_SECONDS = 8.0

# Which stages each action may be taken in as far as this computer knows; the server
# decides (a meter missed while the connection was down may have changed the stage).
STAGES = {
    "confirm": ("proposed",),
    "decline": ("proposed",),
    "pause": ("running", "paused"),
    "resume": ("running", "paused"),
    "raise": ("running", "paused"),
    "end": ("running", "paused"),
    "tip": ("ended",),
}


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command_id: str | None = Field(default=None, min_length=1, max_length=COMMAND_ID_MAX)


class Proposal(Command):
    terms: SessionTerms = SessionTerms.per_minute


class Amount(Command):
    amount: str = Field(default="", max_length=40)


class Maximum(Command):
    maximum: str = Field(default="", max_length=40)


def _sessions(request: Request) -> SessionClient:
    help = request.app.state.context.live.help
    if help is None:
        raise NotLinked()
    return help.sessions


class Answered(Exception):  # noqa: N818 - a signal, not an error
    """The command with this id was done already: the page hears it was."""

    def __init__(self, command_id: str) -> None:
        super().__init__(command_id)
        self.command_id = command_id


def _session(request: Request, session_id: int, action: str, body: Command) -> PaidSession:
    sessions = _sessions(request)
    if sessions.answered(body.command_id) is not None:
        # The page asks again for what was done (its answer got lost): done, once.
        raise Answered(body.command_id)
    session = sessions.session(session_id)
    if session is None:
        raise MessageRefused("session_not_found")
    if session.status.value not in STAGES[action]:
        raise MessageRefused("session_state")
    return session


def add_handlers(app) -> None:
    async def answered(_request: Request, signal: Answered) -> JSONResponse:
        return JSONResponse({"done": True, "command_id": signal.command_id})

    app.add_exception_handler(Answered, answered)


async def _send(request: Request, frame, *, expert: str = "") -> JSONResponse:
    try:
        await _sessions(request).command(frame, timeout=ANSWER_WAIT_SECONDS)
    except TimeoutError:
        return JSONResponse({"pending": True, "command_id": frame.command_id}, status_code=202)
    except ServerRefused as refused:
        if refused.code == "session_not_possible" and getattr(frame, "terms", None) == "fixed":
            text = session_texts.no_fixed_price(expert)  # the likely reason, and what to do
        else:
            text = session_texts.refusal_text(refused.code, refused.message)
        return JSONResponse({"error": text, "code": refused.code}, status_code=409)
    return JSONResponse({"done": True, "command_id": frame.command_id})


@router.post("/conversations/{conversation_id}/sessions")
async def propose(conversation_id: int, body: Proposal, request: Request) -> JSONResponse:
    help = request.app.state.context.live.help
    if help is None:
        raise NotLinked()
    conversation = help.chat.conversation(conversation_id)
    if conversation is None:
        raise MessageRefused("not_found")
    frame = SessionPropose(
        command_id=body.command_id or new_command_id(),
        conversation_id=conversation_id,
        terms=body.terms,
    )
    return await _send(request, frame, expert=conversation.agent_name or "")


@router.post("/sessions/{session_id}/confirm")
async def confirm(session_id: int, body: Maximum, request: Request) -> JSONResponse:
    session = _session(request, session_id, "confirm", body)
    maximum = read_maximum(session.proposal, body.maximum)
    command_id = body.command_id or new_command_id()
    return await _send(
        request, SessionConfirm(command_id=command_id, session_id=session_id, maximum=maximum)
    )


@router.post("/sessions/{session_id}/raise")
async def raise_maximum(session_id: int, body: Amount, request: Request) -> JSONResponse:
    session = _session(request, session_id, "raise", body)
    amount = read_raise(session, body.amount)
    command_id = body.command_id or new_command_id()
    return await _send(
        request, SessionRaise(command_id=command_id, session_id=session_id, amount=amount)
    )


@router.post("/sessions/{session_id}/tip")
async def tip(session_id: int, body: Amount, request: Request) -> JSONResponse:
    session = _session(request, session_id, "tip", body)
    if session.summary is None or session.summary.tip:
        raise MessageRefused("session_state")
    amount = read_tip(session.summary, body.amount)
    command_id = body.command_id or new_command_id()
    return await _send(
        request, SessionTip(command_id=command_id, session_id=session_id, amount=amount)
    )


SIMPLE = {
    "decline": SessionDecline,
    "pause": SessionPause,
    "resume": SessionResume,
    "end": SessionEnd,
}


@router.post("/sessions/{session_id}/{action}")
async def simple_action(
    session_id: int, action: str, request: Request, body: Command | None = None
) -> JSONResponse:
    if action not in SIMPLE:
        return JSONResponse(
            {"error": _("There is no such action."), "code": "not_found"}, status_code=404
        )
    body = body or Command()
    _session(request, session_id, action, body)
    command_id = body.command_id or new_command_id()
    return await _send(request, SIMPLE[action](command_id=command_id, session_id=session_id))
