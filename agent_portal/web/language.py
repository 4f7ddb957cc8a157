"""Chooses each request's language: `?lang=` (remembered in a cookie), the cookie, the
browser's Accept-Language, then the server's default; and the language switch's links.

The switch loads the page again with `?lang=`, so it must link to a page (a GET address).
An answer to a form is a redirect to a page (see `agent_portal.web.flash`), except when the
form was refused and its page is shown again with the reason, at the form's POST address:
then the switch leads to that page, which the answer names (`page_url`), else to the page
the form was sent from (the Referer, sent for the portal's own pages), else home.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import URL
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request

from agent_portal.i18n import translator
from isp_common.i18n import LANGUAGES, language_from_accept_header, pick_language

LANGUAGE_COOKIE = "portal_lang"


class LanguageMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, default_language: str) -> None:
        super().__init__(app)
        self.default_language = default_language

    async def dispatch(self, request: Request, call_next):
        asked = request.query_params.get("lang")
        language = pick_language(
            asked,
            request.cookies.get(LANGUAGE_COOKIE),
            language_from_accept_header(request.headers.get("accept-language")),
            default=self.default_language,
        )
        token = translator.language.set(language)
        request.state.language = language
        try:
            response = await call_next(request)
        finally:
            translator.language.reset(token)
        if asked in LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
            )
        return response


def switch_links(request: Request, page_url: str | None = None) -> dict[str, str]:
    """The address of the shown page in each language, for the language switch."""
    page = _shown_page(request, page_url)
    return {language: str(page.include_query_params(lang=language)) for language in LANGUAGES}


def _shown_page(request: Request, page_url: str | None) -> URL:
    if request.method in ("GET", "HEAD"):
        return URL(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if page_url:
        return URL(page_url)
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path.startswith("/"):
        return URL(referer.path + (f"?{referer.query}" if referer.query else ""))
    return URL("/")
