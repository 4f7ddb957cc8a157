"""The local API of the premium cleanup: look, choose, delete with progress, read the report.

    POST /api/cleanup/preview    what can go, per place: what, where, how much, what stays
    POST /api/cleanup/run        {"preview_id", "root_ids"}: deleting starts (202)
    GET  /api/cleanup/progress   {"state", "files_done", "files_total", "percent", ...}
    GET  /api/cleanup/report     what was freed, and what was left alone and why

All four pass the premium gate for "cleanup" before anything is looked at. A run names the
preview and the places the customer chose by their ids, never by a path, so nothing but
what the preview showed can be deleted.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.formats import number, size
from assistant.local_api.premium_api import requires_feature
from assistant.premium import texts
from assistant.premium.cleanup import FEATURE_ID, CleanupPreview, CleanupReport, RootStatus
from assistant.premium.cleanup.runner import RunState

router = APIRouter(prefix="/api/cleanup", dependencies=[requires_feature(FEATURE_ID)])

MAX_SHOWN_SKIPS = 50


def _runner(request: Request):
    return request.app.state.context.premium.cleanup


def preview_view(preview: CleanupPreview) -> dict:
    roots = []
    for root in preview.roots:
        ready = root.status is RootStatus.READY
        roots.append(
            {
                "root_id": root.root_id,
                "title": texts.root_title(root),
                "location": root.location,
                "browser": root.browser,
                "status": root.status.value,
                "status_text": texts.root_status_text(root),
                "ready": ready,
                "chosen": ready and root.file_count > 0,
                "file_count": root.file_count,
                "file_count_text": number(root.file_count),
                "total_bytes": root.total_bytes,
                "size_text": size(root.total_bytes),
                "skipped": [
                    {"count_text": number(count), "reason_text": texts.skip_reason_text(reason)}
                    for reason, count in sorted(root.skipped_by_reason.items())
                ],
            }
        )
    return {
        "preview_id": preview.preview_id,
        "expires_at": preview.expires_at.isoformat(),
        "file_count": preview.file_count,
        "total_bytes": preview.total_bytes,
        "size_text": size(preview.total_bytes),
        "roots": roots,
    }


def report_view(report: CleanupReport) -> dict:
    titles = {root.root_id: texts.root_title(root) for root in report.roots}
    reasons = Counter(skipped.reason for skipped in report.skipped)
    return {
        "freed_bytes": report.freed_bytes,
        "freed_text": size(report.freed_bytes),
        "deleted_count": report.deleted_count,
        "skipped_count": report.skipped_count,
        "skipped_count_text": number(report.skipped_count),
        "more_skipped_text": number(report.skipped_count - len(report.skipped[:MAX_SHOWN_SKIPS])),
        "roots": [
            {
                "root_id": root.root_id,
                "title": titles[root.root_id],
                "location": root.location,
                "status": root.status.value,
                "status_text": texts.root_status_text(root),
                "deleted_count": root.deleted_count,
                "deleted_count_text": number(root.deleted_count),
                "freed_text": size(root.freed_bytes),
                "skipped_count": root.skipped_count,
                "skipped_count_text": number(root.skipped_count),
            }
            for root in report.roots
        ],
        "skipped_reasons": [
            {"count_text": number(count), "reason_text": texts.skip_reason_text(reason)}
            for reason, count in reasons.most_common()
        ],
        "skipped": [
            {
                "place": titles.get(skipped.root_id, ""),
                "path": skipped.path,
                "reason_text": texts.skip_reason_text(skipped.reason),
            }
            for skipped in report.skipped[:MAX_SHOWN_SKIPS]
        ],
    }


@router.post("/preview")
async def preview(request: Request) -> dict:
    found = await asyncio.to_thread(_runner(request).preview)
    return preview_view(found)


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    preview_id: str = Field(max_length=64)
    root_ids: list[str] = Field(min_length=1, max_length=100)


@router.post("/run", status_code=202)
async def run(body: RunRequest, request: Request) -> JSONResponse:
    await asyncio.to_thread(_runner(request).start, body.preview_id, body.root_ids)
    return JSONResponse(progress(request), status_code=202)


@router.get("/progress")
def progress(request: Request) -> dict:
    current = _runner(request).progress()
    done = current.progress.files_done if current.progress else 0
    total = current.progress.files_total if current.progress else 0
    percent = 100 * done // total if total else 0
    if current.state is RunState.DONE:
        percent = 100
    return {
        "state": current.state.value,
        "files_done": done,
        "files_total": total,
        "percent": percent,
        "bytes_freed": current.progress.bytes_freed if current.progress else 0,
        "files_done_text": number(done),
        "files_total_text": number(total),
        "freed_text": size(current.progress.bytes_freed if current.progress else 0),
    }


@router.get("/report")
def report(request: Request) -> dict:
    found = _runner(request).report()
    if found is None:
        raise HTTPException(404, "no cleanup has finished yet")
    return report_view(found)
