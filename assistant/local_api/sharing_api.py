"""The local API of screen sharing (the work is in `assistant.escalation.desk.LiveDesk` and
`assistant.escalation.screen_share`), and the indicator's page:

    GET    /indicator                              the small always-on-top window's page
    POST   /api/live/sharing/stop                  "Stop sharing": every view ends at once
    POST   /api/live/sharing/take-back             "Take back control": control ends
    POST   /api/live/sharing/windows/{window_id}   {hidden}: hide a window from the picture
    GET    /api/indicator                          the indicator window: shown, left out, masked
    GET    /api/indicator/text/{id}                an element's text read from that window
    GET    /api/privacy-titles                     the titles blacked out while sharing
    PUT    /api/privacy-titles                     {titles: [...]} or {titles: null}: defaults

What the indicator shows (who watches, whether they control, the windows) is the live
view's `sharing` part (`GET /api/live`, `GET /api/live/events`).
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from assistant.i18n import _
from assistant.local_api.pages import _environment, _script_json
from assistant.settings import PRIVACY_TITLE_MAX_CHARS, PRIVACY_TITLES_MAX, SettingsError
from assistant.ui.texts import ui_texts

router = APIRouter()


def _desk(request: Request):
    return request.app.state.context.live


def _over(message: str, code: str) -> JSONResponse:
    return JSONResponse({"error": message, "code": code}, status_code=409)


@router.get("/indicator", response_class=HTMLResponse)
def indicator(request: Request) -> HTMLResponse:
    context = request.app.state.context
    texts = ui_texts()
    html = (
        _environment()
        .get_template("live/indicator.html")
        .render(
            t=texts,
            language=context.language,
            texts_json=_script_json(texts),
            boot_json=_script_json({"mode": context.mode, "language": context.language}),
        )
    )
    return HTMLResponse(html)


def _indicator_window(request: Request):
    indicator = request.app.state.context.indicator
    if not hasattr(indicator, "read_text"):
        raise HTTPException(404, "there is no indicator window")
    return indicator


@router.get("/api/indicator")
def indicator_state(request: Request) -> dict:
    return _indicator_window(request).state()


@router.get("/api/indicator/text/{element_id}")
async def indicator_text(element_id: str, request: Request) -> dict:
    indicator = _indicator_window(request)
    if not element_id.replace("-", "").replace("_", "").isalnum():
        raise HTTPException(422, "an element id has only letters, digits, - and _")
    text = await asyncio.to_thread(indicator.read_text, element_id)
    return {"element": element_id, "text": text}


@router.post("/api/live/sharing/stop")
async def stop_sharing(request: Request):
    if not await _desk(request).stop_all_sharing():
        return _over(_("Your screen is not shared any more."), "not_sharing")
    return {"stopped": True}


@router.post("/api/live/sharing/take-back")
async def take_back_control(request: Request):
    if not await _desk(request).take_back_control():
        return _over(_("Nobody controls your computer."), "no_control")
    return {"stopped": True}


class WindowHidden(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hidden: bool


@router.post("/api/live/sharing/windows/{window_id}")
async def hide_window(window_id: str, body: WindowHidden, request: Request):
    if not _desk(request).hide_window(window_id, body.hidden):
        return _over(
            _("This window cannot be hidden: it is closed, or nothing is shared."),
            "no_such_window",
        )
    return {"hidden": body.hidden}


def default_titles(context) -> list[str]:
    try:
        from assistant.screen import DEFAULT_PRIVACY_TITLES
    except ImportError:
        return []
    return list(DEFAULT_PRIVACY_TITLES)


@router.get("/api/privacy-titles")
def read_titles(request: Request) -> dict:
    context = request.app.state.context
    saved = context.settings.load().privacy_titles
    return {
        "titles": saved if saved is not None else default_titles(context),
        "defaults": saved is None,
    }


class Titles(BaseModel):
    model_config = ConfigDict(extra="forbid")
    titles: list[str] | None


@router.put("/api/privacy-titles")
def change_titles(body: Titles, request: Request):
    context = request.app.state.context
    try:
        context.settings.update(privacy_titles=body.titles)
    except SettingsError:
        message = _(
            "The list was not saved: a title may have at most %(chars)d characters, and "
            "the list at most %(titles)d titles."
        ) % {"chars": PRIVACY_TITLE_MAX_CHARS, "titles": PRIVACY_TITLES_MAX}
        return JSONResponse({"error": message, "code": "invalid"}, status_code=422)
    return read_titles(request)
