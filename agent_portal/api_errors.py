"""How HTTP answers a refusal: every `agent_portal.errors.PortalError` a route lets through
becomes an HTTP status, a stable `code` and one sentence that says what was wrong, as
`isp_common.premium_wire.ApiErrorBody`; the sentence in the request's language
(`reader_language`).

`ApiError` is the JSON API's kind of PortalError: it may add fields to the body
(`attempts_left`, `locked_until`, ...) and headers (`Retry-After`). Service functions raise
them without knowing FastAPI; `install(app)` registers the one handler that answers them,
and `refusals(...)` documents a route's in its OpenAPI `responses`. The framework's own
refusals (a body that cannot be read, an unknown path, a method the path does not take)
are answered in the same shape, their `code` named after the status (`bad_request`,
`not_found`, `method_not_allowed`).
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from agent_portal.errors import PortalError
from agent_portal.i18n import translator
from isp_common.i18n import language_from_accept_header, pick_language
from isp_common.premium_wire import ApiErrorBody

API_PREFIX = "/api/"


class ApiError(PortalError):
    """`fields` go into the body beside `detail` and `code`; `headers` into the answer."""

    def __init__(
        self,
        template: str | None = None,
        /,
        *,
        headers: dict[str, str] | None = None,
        fields: dict[str, Any] | None = None,
        **values: Any,
    ) -> None:
        self.headers = headers or {}
        self.fields = fields or {}
        super().__init__(template, **values)


def reader_language(request: Request) -> str:
    """The language a refusal is worded in. A page's (the portal's language of the request);
    on the JSON API the one the client asks for (`?lang=`, Accept-Language), else English:
    programs read the API, and the assistant words a refusal itself, by its code."""
    if not request.url.path.startswith(API_PREFIX):
        return translator.language.get()
    return pick_language(
        request.query_params.get("lang"),
        language_from_accept_header(request.headers.get("accept-language")),
        default="en",
    )


def body(error: PortalError, language: str) -> dict[str, Any]:
    fields = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in getattr(error, "fields", {}).items()
    }
    return {"detail": error.in_language(language), "code": str(error.code), **fields}


def refusals(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: each status it refuses with, answered as an ApiErrorBody."""
    return {
        code: {"model": ApiErrorBody, "description": description}
        for code, description in descriptions.items()
    }


async def _portal_error(request: Request, error: PortalError) -> JSONResponse:
    return JSONResponse(
        body(error, reader_language(request)),
        status_code=error.status_code,
        headers=getattr(error, "headers", None) or None,
    )


async def _http_error(_request: Request, error: HTTPException) -> Response:
    if error.status_code < 200 or error.status_code in (204, 304):  # no body allowed
        return Response(status_code=error.status_code, headers=error.headers)
    code = HTTPStatus(error.status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    body = ApiErrorBody(detail=str(error.detail), code=code)
    return JSONResponse(
        body.model_dump(exclude_defaults=True),
        status_code=error.status_code,
        headers=error.headers,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(PortalError, _portal_error)
    app.add_exception_handler(HTTPException, _http_error)
