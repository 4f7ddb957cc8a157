"""The API description and its viewers: `/openapi.json`, `/docs` (Swagger UI) and `/redoc`.

FastAPI would serve them to everyone; here the setting `api_docs` decides: "staff" (the
default) serves them to logged-in staff (others go to the login page), "public" to
everyone, "off" not at all (404). They are ordinary routes with an access rule, so the
route access table covers them like every other page.
"""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from agent_portal.auth.deps import public_route, require_staff

OPENAPI_PATH = "/openapi.json"
SWAGGER_PATH = "/docs"
REDOC_PATH = "/redoc"
DOCS_PATHS = (SWAGGER_PATH, REDOC_PATH)


@cache
def docs_router(mode: str, title: str) -> APIRouter | None:
    """The routes for the setting `mode`; None when the docs are off. One router serves
    every app of the same setting (each app copies its routes when it includes it)."""
    if mode == "off":
        return None
    access = public_route() if mode == "public" else require_staff()
    router = APIRouter(include_in_schema=False, dependencies=[access])

    @router.get(OPENAPI_PATH)
    def openapi_description(request: Request) -> JSONResponse:
        return JSONResponse(request.app.openapi())

    @router.get(SWAGGER_PATH)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title=f"{title} · API")

    @router.get(REDOC_PATH)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=OPENAPI_PATH, title=f"{title} · API")

    return router
