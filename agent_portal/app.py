"""Builds the portal's FastAPI application from its settings: database, migrations, and the
routes each domain registers in its `domain.py` (`agent_portal.domains`)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from agent_portal import api_docs, api_errors, domains, live, openapi
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine, make_session_factory
from agent_portal.migrate import upgrade_to_head
from agent_portal.server_keys import ServerKeys
from agent_portal.web.body_limits import BodyLimits
from agent_portal.web.language import LanguageMiddleware
from agent_portal.web.security_headers import SecurityHeaders
from isp_common.premium_wire import ApiErrorBody, ErrorCode, FieldProblem

STATIC_DIR = Path(__file__).parent / "web" / "static"

# Every domain's routers, in the app's order (`create_app` reads them anew).
ROUTERS = domains.routers()


def create_app(settings: PortalSettings | None = None) -> FastAPI:
    settings = settings or PortalSettings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await app.state.live.start()
        try:
            yield
        finally:
            await app.state.live.stop()
            engine.dispose()

    # The API docs are routes of their own (`api_docs`), behind the setting `api_docs`.
    app = FastAPI(
        title="ISP support portal",
        version="1",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.live = live.build_live(settings)
    app.state.server_keys = ServerKeys.in_data_dir(settings.data_dir)

    # Added first, so it runs innermost: its 413 still gets the headers of every answer.
    app.add_middleware(BodyLimits, settings=settings)
    app.add_middleware(LanguageMiddleware, default_language=settings.default_language)
    app.add_middleware(SecurityHeaders, docs_paths=api_docs.DOCS_PATHS)
    if settings.forwarded_allow_ips:
        # Added last, so it runs first: every part of the app sees the client's address.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    app.add_exception_handler(RequestValidationError, _validation_error)
    api_errors.install(app)
    for domain in domains.all_domains():
        if domain.install is not None:
            domain.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.state.domain_routers = tuple(domains.routers())
    for router in app.state.domain_routers:
        app.include_router(router)
    docs = api_docs.docs_router(settings.api_docs, app.title)
    if docs is not None:
        app.include_router(docs)
    openapi.install(app)
    return app


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    """422 with one readable sentence per problem, naming the field."""
    problems = [
        FieldProblem(
            field=".".join(str(part) for part in item["loc"] if part != "body"),
            message=item["msg"],
        )
        for item in error.errors()
    ]
    summary = "; ".join(f"{problem.field}: {problem.message}" for problem in problems)
    body = ApiErrorBody(
        detail=f"The request is not valid. {summary}",
        code=ErrorCode.REQUEST_INVALID,
        errors=tuple(problems),
    )
    return JSONResponse(body.model_dump(mode="json", exclude_defaults=True), status_code=422)
