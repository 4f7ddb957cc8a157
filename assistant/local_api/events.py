"""`GET /api/events`: the run as Server-Sent Events, so checks appear as they finish.

The stream opens with a `snapshot` (everything so far), then sends one `check` event per
new result and `finished` at the end. A new run (the "Check again" button) sends a new
snapshot. A reconnecting page simply gets a fresh snapshot.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from assistant.local_api.context import AssistantContext
from assistant.local_api.presenters import check_view, run_view, snapshot

router = APIRouter()

KEEPALIVE_SECONDS = 15.0


def _event(name: str, data: dict) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def stream(context: AssistantContext, request: Request) -> AsyncIterator[str]:
    board = context.board
    catalogue = {info.id: info for info in board.visible_checks()}
    premium = context.premium
    run_number = None
    premium_key = premium.state_key()
    sent = 0
    finished_sent = False
    yield "retry: 1000\n\n"
    while not board.closing:
        run = board.run
        if run is not None and (run.number != run_number or premium.state_key() != premium_key):
            # A new run, or premium unlocked or locked something: the page starts afresh.
            premium_key = premium.state_key()
            run_number, sent, finished_sent = run.number, len(run.arrival), run.finished
            yield _event("snapshot", snapshot(board, premium=premium))
            continue
        if run is not None and sent < len(run.arrival):
            check_id = run.arrival[sent]
            sent += 1
            if check_id in catalogue:
                view = check_view(catalogue[check_id], run, premium=premium)
                yield _event("check", {"check": view, "run": run_view(board, premium=premium)})
            continue
        if run is not None and run.finished and not finished_sent:
            finished_sent = True
            yield _event("finished", snapshot(board, premium=premium))
            continue
        # Nothing new: wait for the board (no await between the checks above and this one,
        # so no change can slip through unseen).
        if not await board.wait_for_change(KEEPALIVE_SECONDS):
            if await request.is_disconnected():
                return
            yield ": keep-alive\n\n"
    yield _event("closing", {})


@router.get("/api/events")
async def events(request: Request) -> StreamingResponse:
    context: AssistantContext = request.app.state.context
    return StreamingResponse(
        stream(context, request),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )
