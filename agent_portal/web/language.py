"""Chooses each request's language: `?lang=` (remembered in a cookie), the cookie, the
browser's Accept-Language, then the server's default; and the language switch's links.

The switch loads the page again with `?lang=`, so it must link to a page (a GET address).
An answer to a form is a redirect to a page (see `agent_portal.web.flash`), except when the
form was refused and its page is shown again with the reason, at the form's POST address:
then the switch leads to that page, which the answer names (`page_url`), else to the page
the form was sent from (the Referer, sent for the portal's own pages), else home.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from starlette.datastructures import URL, QueryParams
from starlette.requests import Request, cookie_parser
from starlette.responses import Response

from agent_portal.i18n import translator
from isp_common.i18n import LANGUAGES, language_from_accept_header, pick_language

LANGUAGE_COOKIE = "portal_lang"
_COOKIE_NAME = LANGUAGE_COOKIE.encode()
COOKIE_MAX_AGE = 365 * 24 * 3600


def _remember_header(language: str) -> tuple[bytes, bytes]:
    """The Set-Cookie header that remembers `language`, as Starlette writes cookies."""
    response = Response()
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax"
    )
    return next(header for header in response.raw_headers if header[0] == b"set-cookie")


REMEMBER = {language: _remember_header(language) for language in LANGUAGES}


# Each request reads these three; the parsing is skipped where the answer is plainly none.


def _asked_language(query: bytes) -> str | None:
    if b"lang" not in query and b"%" not in query:
        return None
    return QueryParams(query).get("lang")


def _remembered_language(cookie: bytes | None) -> str | None:
    if not cookie or _COOKIE_NAME not in cookie:
        return None
    return cookie_parser(cookie.decode("latin-1")).get(LANGUAGE_COOKIE)


@lru_cache(maxsize=256)  # browsers send the same few headers again and again
def _accepted_language(header: bytes | None) -> str | None:
    return language_from_accept_header(header.decode("latin-1") if header else None)


def _with_header(send, header: tuple[bytes, bytes]):
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), header]}
        await send(message)

    return sending


class LanguageMiddleware:
    """Plain ASGI: the request runs in this middleware's task, with its language set for
    everything it does (routes, worker threads, templates), and pays for no extra task
    and stream the way a `BaseHTTPMiddleware` would make it."""

    def __init__(self, app, default_language: str) -> None:
        self.app = app
        self.default_language = default_language

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie = accepted = None
        for name, value in scope["headers"]:  # the first of each, as Starlette reads them
            if name == b"cookie" and cookie is None:
                cookie = value
            elif name == b"accept-language" and accepted is None:
                accepted = value
        asked = _asked_language(scope["query_string"])
        language = pick_language(
            asked,
            _remembered_language(cookie),
            _accepted_language(accepted),
            default=self.default_language,
        )
        scope.setdefault("state", {})["language"] = language
        if scope["type"] == "websocket":
            # A socket only notes its tab's language, for the refusals it answers
            # (`realtime.dispatch`): what it relays is worded for others as well.
            await self.app(scope, receive, send)
            return
        if asked in LANGUAGES:
            send = _with_header(send, REMEMBER[language])
        token = translator.language.set(language)
        try:
            await self.app(scope, receive, send)
        finally:
            translator.language.reset(token)


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
