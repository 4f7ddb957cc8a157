"""The Jinja2 environment of the portal pages, with gettext bound to the request's language
and filters that write values the way that language does (`isp_common.formatting`):

    {{ 26486|number }}  {{ size_bytes|file_size }}  {{ 42.3|percent }}  {{ flag|yes_no }}
    {{ when|moment }}  {{ when|day }}  {{ when|time_of_day }}  {{ cents|money("EUR") }}

Times are shown in the portal's time zone (`PortalSettings.time_zone`), on every page.
Templates are looked up in this package's folder, then in each domain's (`Domain.templates`,
`agent_portal.domains`), read on the first page drawn.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import BaseLoader, Environment, FileSystemLoader, pass_context, select_autoescape

from agent_portal import domains
from agent_portal.customers.schemas import ACCOUNT_NUMBER_EXAMPLE
from agent_portal.i18n import translator
from agent_portal.web.language import switch_links
from agent_portal.web.navigation import current_item, menu_for
from isp_common import formatting

COMMON_TEMPLATES = Path(__file__).parent / "templates"


class DomainTemplates(BaseLoader):
    """The common templates and every domain's. The domains are read on first use, not at
    import: a domain's pages import this module."""

    def get_source(self, environment, template):
        return self._folders.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self._folders.list_templates()

    @functools.cached_property
    def _folders(self) -> FileSystemLoader:
        return FileSystemLoader([str(COMMON_TEMPLATES), *map(str, domains.template_dirs())])


environment = Environment(
    loader=DomainTemplates(),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(translator.gettext, translator.ngettext, newstyle=True)
# The one example of an account number every search box and hint shows.
environment.globals["account_number_example"] = ACCOUNT_NUMBER_EXAMPLE


def _in_language(function):
    def apply(value, *args, **kwargs):
        return function(value, *args, locale=translator.language.get(), **kwargs)

    return apply


def _in_portal_zone(function):
    @pass_context
    def apply(context, value, **kwargs):
        return function(
            value, locale=translator.language.get(), zone=context["time_zone"], **kwargs
        )

    return apply


environment.filters.update(
    number=_in_language(formatting.number),
    decimal=_in_language(formatting.decimal),
    percent=_in_language(formatting.percent),
    file_size=_in_language(formatting.file_size),
    duration=_in_language(formatting.duration),
    money=_in_language(formatting.money),
    month=_in_language(formatting.month),
    yes_no=_in_language(formatting.yes_no),
    moment=_in_portal_zone(formatting.moment),
    day=_in_portal_zone(formatting.day),
    time_of_day=_in_portal_zone(formatting.time_of_day),
)


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    *,
    page_url: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page, with the notices a form left for it (`agent_portal.web.flash`). A page
    drawn in answer to a form (refused: a 4xx) names its own GET address as `page_url`,
    for the language switch and the flash."""
    page = page_url or (request.url.path if request.method == "GET" else None)
    flash = getattr(request.state, "flash", None)
    context.setdefault("notices", flash.take(page).notices if flash and page else [])
    context.setdefault("language_links", switch_links(request, page_url))
    context.setdefault("request", request)
    context.setdefault("language", translator.language.get())
    context.setdefault("time_zone", request.app.state.settings.time_zone)
    staff = context.setdefault("current_staff", getattr(request.state, "staff", None))
    # Until the initial password is replaced, only that page is open: no menu to offer.
    has_menu = staff is not None and not staff.must_change_password
    menu = context.setdefault("menu", menu_for(request.app, staff.role) if has_menu else [])
    context.setdefault("menu_current", current_item(menu, request.url.path))
    context.setdefault("csrf_token", getattr(request.state, "csrf_token", ""))
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
