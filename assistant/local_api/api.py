"""The local JSON API the page talks to. Routes stay thin: the work is in the modules
they call (runs, settings, quick links, history, export)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from assistant import formats
from assistant.build import ServerNotAllowed
from assistant.local_api.context import AssistantContext
from assistant.local_api.premium_api import premium_changed
from assistant.local_api.presenters import snapshot
from assistant.quicklinks import QUICK_LINKS, UnknownQuickLink, quick_link_feature
from assistant.settings import SettingsError
from assistant.ui.texts import ui_texts
from isp_common.diagnostics.report import DiagnosticsReport

router = APIRouter(prefix="/api")


def _context(request: Request) -> AssistantContext:
    return request.app.state.context


def current_report(context: AssistantContext) -> DiagnosticsReport:
    run = context.board.run
    if run is None or run.report is None:
        raise HTTPException(409, "the checks have not finished yet")
    report = run.report
    # Defence in depth: premium results never leave while locked, even if one exists.
    allowed = [
        check
        for check in report.checks
        if context.premium.check_lock(check.check_id, check.category, check.premium) is None
    ]
    if len(allowed) == len(report.checks):
        return report
    return report.model_copy(update={"checks": allowed})


@router.get("/texts")
def texts() -> dict[str, str]:
    return ui_texts()


@router.get("/state")
def state(request: Request) -> dict:
    context = _context(request)
    return {
        "language": context.language,
        "mode": context.mode,
        "premium_unlocked": context.premium.unlocked(),
        **snapshot(context.board, premium=context.premium),
    }


@router.post("/run", status_code=202)
async def start_run(request: Request) -> dict:
    if not _context(request).board.start():
        raise HTTPException(409, "the checks are still running")
    return {"started": True}


class SettingsChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Literal["de", "en"] | None = None
    server_url: str | None = None


@router.get("/settings")
def read_settings(request: Request) -> dict:
    context = _context(request)
    saved = context.settings.load()
    return {
        "language": context.language,
        "server_url": saved.server_url,
        "linked": context.premium.service.status().linked,
    }


@router.post("/settings")
async def change_settings(change: SettingsChange, request: Request) -> dict:
    context = _context(request)
    changes = change.model_dump(exclude_unset=True)
    try:
        if changes.get("server_url"):  # only one of the servers the installation names
            changes["server_url"] = context.premium.check_server(changes["server_url"])
        context.settings.update(**changes)
    except (SettingsError, ServerNotAllowed) as err:
        raise HTTPException(422, str(err)) from err
    if changes.get("server_url"):
        await asyncio.to_thread(context.premium.use_server, changes["server_url"])
        await premium_changed(context)
    if changes.get("language") and changes["language"] != context.language:
        context.language = changes["language"]
        if context.live is not None:
            context.live.set_language(context.language)
        # Findings are worded when a check runs: check again so they read in the new language.
        context.board.start(or_after_current=True)
    return read_settings(request)


@router.post("/quick-links/{link_id}")
def open_quick_link(link_id: str, request: Request) -> dict:
    context = _context(request)
    if link_id not in QUICK_LINKS:
        raise HTTPException(404, f"no quick link called {link_id!r}")
    # The computer's settings are Premium's quick links; FeatureLocked is answered 403.
    context.premium.require(quick_link_feature(link_id))
    try:
        argv = context.quick_links.launch(link_id)
    except UnknownQuickLink as err:
        raise HTTPException(404, f"no quick link called {link_id!r}") from err
    except OSError as err:
        raise HTTPException(500, f"the settings could not be opened: {err}") from err
    return {"opened": argv is not None}


@router.get("/history")
async def history(request: Request, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    from assistant.metrics import METRIC_SOURCES, locked_metrics

    context = _context(request)
    entries = await asyncio.to_thread(lambda: context.history().entries(limit))
    # Numbers measured by premium checks are premium results: none of them while locked.
    locked = locked_metrics(context.premium.check_lock)
    return {
        "locked_metrics": sorted(locked),
        "entries": [
            {
                "id": entry.id,
                "created_at": entry.created_at.isoformat(),
                "created_text": formats.moment(entry.created_at),
                "overall": entry.overall,
                **{
                    metric: None if metric in locked else getattr(entry.metrics, metric)
                    for metric in METRIC_SOURCES
                },
            }
            for entry in entries
        ],
    }


@router.get("/report")
def report(request: Request) -> Response:
    body = current_report(_context(request)).model_dump_json()
    return Response(body, media_type="application/json")


@router.get("/report/export")
async def export_report(request: Request, format: Literal["html", "pdf"] = "html") -> Response:
    from assistant import export

    current = current_report(_context(request))
    content = await asyncio.to_thread(export.export, current, format)
    name = export.file_name(current, format)
    # RFC 6266: an ASCII name for old clients, the real (UTF-8) name for everyone else.
    fallback = name.encode("ascii", "ignore").decode() or f"report.{format}"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content,
        media_type=export.FORMATS[format],
        headers={"content-disposition": disposition},
    )


class SaveRequest(BaseModel):
    format: Literal["html", "pdf"] = "html"


@router.post("/report/save")
async def save_report(body: SaveRequest, request: Request) -> dict:
    from assistant import export

    context = _context(request)
    current = current_report(context)
    try:
        path = await asyncio.to_thread(export.save, current, body.format, context.downloads_dir)
    except OSError as err:
        raise HTTPException(500, f"the report could not be saved: {err}") from err
    return {"path": str(path)}


@router.get("/window/text/{element_id}")
async def window_text(element_id: str, request: Request) -> dict:
    """The text of one element as the real desktop window shows it (read through pywebview)."""
    context = _context(request)
    if context.read_window_text is None:
        raise HTTPException(404, "there is no desktop window")
    if not element_id.replace("-", "").replace("_", "").isalnum():
        raise HTTPException(422, "an element id has only letters, digits, - and _")
    text = await asyncio.to_thread(context.read_window_text, element_id)
    return {"element": element_id, "text": text}


@router.post("/quit", status_code=202)
async def quit_assistant(request: Request) -> JSONResponse:
    context = _context(request)
    # Answer first, then stop: the page should hear that the quit was accepted.
    asyncio.get_running_loop().call_later(0.1, context.request_quit)
    return JSONResponse({"quitting": True}, status_code=202)
