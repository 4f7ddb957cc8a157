"""Chooses each request's language: `?lang=` (remembered in a cookie), the cookie, the
browser's Accept-Language, then the server's default."""

from __future__ import annotations

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
