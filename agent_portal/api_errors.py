"""Errors the JSON API answers with: an HTTP status, a stable `code` and one English
sentence that says what was wrong, as `isp_common.premium_wire.ApiErrorBody`.

Domain errors subclass `ApiError` (in each domain's `errors.py`), so service functions can
raise them without knowing FastAPI; `install(app)` registers the handler that turns them
into answers, and `refusals(...)` documents a route's in its OpenAPI `responses`. The
framework's own refusals (a body that cannot be read, an unknown path, a method the path
does not take) are answered in the same shape, their `code` named after the status
(`bad_request`, `not_found`, `method_not_allowed`).
"""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from isp_common.premium_wire import ApiErrorBody


class ApiError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        extra = {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in self.extra.items()
        }
        return {"detail": self.detail, "code": self.code, **extra}


def refusals(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: each status it refuses with, answered as an ApiErrorBody."""
    return {
        code: {"model": ApiErrorBody, "description": description}
        for code, description in descriptions.items()
    }


async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)


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
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(HTTPException, _http_error)
