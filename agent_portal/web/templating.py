"""The Jinja2 environment of the portal pages, with gettext bound to the request's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from agent_portal.i18n import translator

TEMPLATE_DIRS = [Path(__file__).parent / "templates"]

environment = Environment(
    loader=FileSystemLoader([str(path) for path in TEMPLATE_DIRS]),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(translator.gettext, translator.ngettext, newstyle=True)


def add_template_dir(path: Path) -> None:
    """Lets a domain keep its own templates beside its code."""
    if path not in TEMPLATE_DIRS:
        TEMPLATE_DIRS.append(path)
        environment.loader = FileSystemLoader([str(p) for p in TEMPLATE_DIRS])


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("request", request)
    context.setdefault("language", translator.language.get())
    context.setdefault("current_staff", getattr(request.state, "staff", None))
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
