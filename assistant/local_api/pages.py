"""`GET /`: the page, rendered in the current language with its texts built in."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from assistant.local_api.context import AssistantContext
from assistant.ui.texts import ui_texts
from assistant.verdict import AREAS, LIGHT_SHAPES

TEMPLATES = Path(__file__).resolve().parent.parent / "ui" / "templates"

router = APIRouter()

# Simple line icons for the four areas (24x24, stroked in the brand colour).
AREA_ICONS = {
    "internet": "M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 19.5h0",
    "email": "M3 6h18v12H3zM3 6l9 7 9-7",
    "computer": "M3 4h18v12H3zM8 20h8M12 16v4",
    "security": "M12 3l8 3v6c0 4.5-3.4 8.2-8 9-4.6-.8-8-4.5-8-9V6z",
}


@cache
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _script_json(value: object) -> str:
    # Inside <script>, "</" would end the element: escape it (and "<!--") for safety.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    context: AssistantContext = request.app.state.context
    texts = ui_texts()
    areas = [
        {"id": area, "title": texts[f"area_{area}"], "icon_path": AREA_ICONS[area]}
        for area in AREAS
    ]
    charts = [
        {"id": "cpu", "metric": "cpu_percent", "title": texts["chart_cpu"]},
        {"id": "memory", "metric": "memory_percent", "title": texts["chart_memory"]},
        {"id": "disk", "metric": "disk_percent", "title": texts["chart_disk"]},
        {"id": "latency", "metric": "latency_ms", "title": texts["chart_latency"]},
    ]
    boot = {"mode": context.mode, "language": context.language, "areas": list(AREAS)}
    html = (
        _environment()
        .get_template("index.html")
        .render(
            t=texts,
            language=context.language,
            mode=context.mode,
            areas=areas,
            charts=charts,
            light_shapes=LIGHT_SHAPES,
            texts_json=_script_json(texts),
            boot_json=_script_json(boot),
        )
    )
    return HTMLResponse(html)
