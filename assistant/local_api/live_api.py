"""The local API of live help (the work is in `assistant.escalation.desk.LiveDesk`):

    GET    /api/live                                   everything the page shows
    GET    /api/live/events                            the same as Server-Sent Events, on change
    POST   /api/live/conversations                     start a chat {topic, text}
    POST   /api/live/conversations/{id}/messages       send {text, attachment?}: 202, "sending"
    POST   /api/live/conversations/{id}/report         send the current report (PDF) as a file
    POST   /api/live/conversations/{id}/typing         {typing}
    POST   /api/live/conversations/{id}/close          end the chat
    GET    /api/live/conversations/{id}/attachments/{attachment_id}   a file of the chat
    POST   /api/live/conversations/{id}/attachments/{attachment_id}/save  into Downloads
    DELETE /api/live/sending/{key}                     drop a message that could not be sent
    POST   /api/live/consent/{question_id}             the answer {allowed, choice?, window_id?}
    POST   /api/live/grants/{consent_id}/stop           stop what the customer allowed
    (screen sharing's own routes: `assistant.local_api.sharing_api`)

A refusal answers `{"error": the customer's sentence, "code": ...}`: 409 not linked or the
chat is over, 404 no such chat or file, 413 a file over the limit, 422 nothing to send or
a text over the server's limit (`message_too_long`; never cut to fit), 503 no connection
now.
"""

from __future__ import annotations

import asyncio
import binascii
import json
from base64 import b64decode
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.escalation import errors
from assistant.escalation.chat import Attachment
from assistant.escalation.desk import LiveDesk
from assistant.i18n import _
from assistant.local_api.api import current_report
from isp_common.live_wire import Topic

router = APIRouter(prefix="/api/live")

KEEPALIVE_SECONDS = 15.0
STATUSES = {
    errors.NotLinked: 409,
    errors.NotConnected: 503,
    errors.ChannelRefused: 409,
    errors.AttachmentTooLarge: 413,
    errors.MessageTooLong: 422,
    errors.ServerRefused: 409,
}
REFUSED_MESSAGES = {
    "empty_message": 422,
    "closed": 409,
    "not_found": 404,
    "offer_closed": 409,
    "session_not_found": 404,
    "session_state": 409,
}


def _desk(request: Request) -> LiveDesk:
    return request.app.state.context.live


@router.get("")
def live_view(request: Request) -> dict:
    return _desk(request).view()


async def _stream(desk: LiveDesk, request: Request):
    board = request.app.state.context.board  # closing when the assistant stops
    yield "retry: 1000\n\n"
    version = None
    quiet = 0.0
    while not desk.closed and not board.closing:
        if desk.version != version:
            view = desk.view()
            version = view["version"]
            yield f"event: live\ndata: {json.dumps(view, ensure_ascii=False)}\n\n"
            # Changes come in bursts (a message, its state, the end of "sending"): one view.
            await asyncio.sleep(0.02)
            continue
        # Short waits, so a stopping assistant ends the stream at once.
        if await desk.wait_for_change(version, 1.0):
            quiet = 0.0
            continue
        quiet += 1.0
        if quiet >= KEEPALIVE_SECONDS:
            quiet = 0.0
            if await request.is_disconnected():
                return
            yield ": keep-alive\n\n"
    yield "event: closing\ndata: {}\n\n"


@router.get("/events")
async def live_events(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _stream(_desk(request), request),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


class NewChat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: Topic
    text: str  # its limit is the server's (the desk checks it), so no bound of its own here


@router.post("/conversations", status_code=201)
async def start_chat(body: NewChat, request: Request) -> dict:
    if not body.text.strip():
        raise errors.MessageRefused("empty_message")
    info = await _desk(request).start_chat(body.topic, body.text.strip())
    return {"id": info.id, "status": info.status.value}


class FileUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: str = Field(min_length=1, max_length=200)
    content_type: str = Field(default="application/octet-stream", max_length=100)
    data_base64: str


class NewMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = ""
    attachment: FileUpload | None = None


def _attachment(upload: FileUpload | None) -> Attachment | None:
    if upload is None:
        return None
    try:
        data = b64decode(upload.data_base64, validate=True)
    except (binascii.Error, ValueError) as err:
        raise HTTPException(422, "invalid input: attachment.data_base64 is not base64") from err
    return Attachment(upload.filename, upload.content_type or "application/octet-stream", data)


@router.post("/conversations/{conversation_id}/messages", status_code=202)
async def send_message(conversation_id: int, body: NewMessage, request: Request) -> dict:
    key = await _desk(request).send(conversation_id, body.text, _attachment(body.attachment))
    return {"key": key}


@router.post("/conversations/{conversation_id}/report", status_code=202)
async def send_report(conversation_id: int, request: Request):
    """The dashboard's current report as a PDF, in the customer's language."""
    from assistant import export

    run = request.app.state.context.board.run
    if run is None or run.report is None:
        return JSONResponse(
            {
                "error": _("Please wait until all checks are done, then send the report."),
                "code": "report_not_ready",
            },
            status_code=409,
        )
    report = current_report(request.app.state.context)
    content = await asyncio.to_thread(export.export, report, "pdf")
    attachment = Attachment(export.file_name(report, "pdf"), export.FORMATS["pdf"], content)
    key = await _desk(request).send(conversation_id, "", attachment)
    return {"key": key}


class Typing(BaseModel):
    typing: bool


@router.post("/conversations/{conversation_id}/typing", status_code=204)
async def typing(conversation_id: int, body: Typing, request: Request) -> Response:
    await _desk(request).typing(conversation_id, body.typing)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/close")
async def close_chat(conversation_id: int, request: Request) -> dict:
    await _desk(request).close_chat(conversation_id)
    return {"closing": True}


@router.get("/conversations/{conversation_id}/attachments/{attachment_id}")
async def attachment(conversation_id: int, attachment_id: int, request: Request) -> Response:
    info, data = await _desk(request).download(conversation_id, attachment_id)
    fallback = info.filename.encode("ascii", "ignore").decode().replace('"', "") or "file"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(info.filename)}"
    return Response(
        data, media_type=info.content_type, headers={"content-disposition": disposition}
    )


@router.post("/conversations/{conversation_id}/attachments/{attachment_id}/save")
async def save_attachment(conversation_id: int, attachment_id: int, request: Request) -> dict:
    """The desktop window has no download bar: the file goes to the Downloads folder."""
    from assistant import export

    info, data = await _desk(request).download(conversation_id, attachment_id)
    folder = request.app.state.context.downloads_dir
    try:
        path = await asyncio.to_thread(export.save_file, folder, info.filename, data)
    except OSError as err:
        raise HTTPException(500, f"the file could not be saved: {err}") from err
    return {"path": str(path)}


@router.delete("/sending/{key}")
def dismiss(key: str, request: Request) -> dict:
    if not _desk(request).dismiss(key):
        raise HTTPException(404, "no message that failed with this key")
    return {"dismissed": True}


class ConsentAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    allowed: bool
    # A screen view: "screen", or "window" with the id of a window the dialog listed.
    choice: str | None = Field(default=None, max_length=20)
    window_id: str | None = Field(default=None, max_length=64)


@router.post("/consent/{question_id}")
async def answer_consent(question_id: str, body: ConsentAnswer, request: Request):
    try:
        answered = _desk(request).answer_consent(
            question_id, body.allowed, choice=body.choice, window_id=body.window_id
        )
    except ValueError as err:
        wrong = str(err)
        message = (
            _("Please choose one of the windows in the list.")
            if wrong == "window_id"
            else _("Please choose whether to share your whole screen or one window.")
        )
        return JSONResponse({"error": message, "code": f"invalid_{wrong}"}, status_code=422)
    if not answered:
        return JSONResponse(
            {"error": _("This request has already ended."), "code": "request_over"},
            status_code=409,
        )
    return {"answered": True}


@router.post("/grants/{consent_id}/stop")
async def stop_grant(consent_id: str, request: Request):
    if not await _desk(request).stop_grant(consent_id):
        return JSONResponse(
            {"error": _("This permission has already ended."), "code": "grant_over"},
            status_code=409,
        )
    return {"stopped": True}


class OfferAnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accepted: bool


@router.post("/conversations/{conversation_id}/offers/{offer_id}", status_code=202)
async def answer_offer(
    conversation_id: int, offer_id: int, body: OfferAnswerBody, request: Request
) -> dict:
    """The customer's answer to the agent's offer of an expert; the outcome arrives as a
    message of the conversation."""
    await _desk(request).answer_offer(conversation_id, offer_id, body.accepted)
    return {"answered": True}


def add_error_handlers(app: FastAPI) -> None:
    async def refused(_request: Request, error: errors.LiveHelpError) -> JSONResponse:
        status = next((code for kind, code in STATUSES.items() if isinstance(error, kind)), None)
        status = status or REFUSED_MESSAGES.get(error.code, 422)
        return JSONResponse({"error": error.text(), "code": error.code}, status_code=status)

    app.add_exception_handler(errors.LiveHelpError, refused)
