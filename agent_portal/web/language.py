"""Chooses each request's language: `?lang=` (remembered in a cookie), the cookie, the
browser's Accept-Language, then the server's default."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from agent_portal.i18n import translator
from isp_common.i18n import LANGUAGES, language_from_accept_header, pick_language

LANGUAGE_COOKIE = "portal_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _remember_header(language: str) -> tuple[bytes, bytes]:
    """The Set-Cookie header that remembers `language`, as Starlette writes cookies."""
    response = Response()
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax"
    )
    return next(header for header in response.raw_headers if header[0] == b"set-cookie")


REMEMBER = {language: _remember_header(language) for language in LANGUAGES}


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
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = HTTPConnection(scope)
        asked = request.query_params.get("lang")
        language = pick_language(
            asked,
            request.cookies.get(LANGUAGE_COOKIE),
            language_from_accept_header(request.headers.get("accept-language")),
            default=self.default_language,
        )
        request.state.language = language
        if asked in LANGUAGES:
            send = _with_header(send, REMEMBER[language])
        token = translator.language.set(language)
        try:
            await self.app(scope, receive, send)
        finally:
            translator.language.reset(token)
