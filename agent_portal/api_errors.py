"""Errors the JSON API answers with: an HTTP status, a stable `code` and one English
sentence that says what was wrong, as `isp_common.premium_wire.ApiErrorBody`.

Domain errors subclass `ApiError` (in each domain's `errors.py`), so service functions can
raise them without knowing FastAPI; `install(app)` registers the one handler that turns
them into answers, and `refusals(...)` documents a route's in its OpenAPI `responses`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

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


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
