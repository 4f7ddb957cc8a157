"""The local FastAPI app: the page, its static files and the JSON API, behind the guard."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from assistant.i18n import translator
from assistant.local_api import (
    api,
    appointments_api,
    cleanup_api,
    events,
    experts_api,
    invoices_api,
    knowledge_api,
    live_api,
    pages,
    premium_api,
    provider_api,
    ratings_api,
    sessions_api,
    sharing_api,
)
from assistant.local_api.context import AssistantContext
from assistant.local_api.security import LocalGuard

STATIC_DIR = Path(__file__).resolve().parent.parent / "ui" / "static"


class SpeakCurrentLanguage:
    """Every request is answered in the language the assistant is set to right now."""

    def __init__(self, app, context: AssistantContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope, receive, send) -> None:
        token = translator.language.set(self.context.language)
        try:
            await self.app(scope, receive, send)
        finally:
            translator.language.reset(token)


def _live_desk(context: AssistantContext):
    """Live help for this launch: reports for the hotline hold the app's own checks."""
    from assistant.checks import describe_report, make_report_runner
    from assistant.escalation.desk import LiveDesk

    def describe_in_current_language(categories, include_premium) -> list[str]:
        token = translator.language.set(context.language)
        try:
            return describe_report(categories, include_premium)
        finally:
            translator.language.reset(token)

    from assistant.escalation.share_history import ShareHistory

    def screen_options() -> dict:
        return {
            "engine": context.screen_engine,
            "privacy_titles": lambda: context.settings.load().privacy_titles,
            # The indicator's rectangle, blacked out where the system cannot leave it out.
            "extra_rects": lambda: context.indicator.masked_rects(),
        }

    return LiveDesk(
        premium=context.premium,
        history=ShareHistory(context.settings.path.parent / "shared.json"),
        screen=screen_options,
        on_sharing=lambda sharing: context.indicator.show(sharing),
        indicator_title=lambda: getattr(context.indicator, "title", ""),
        language=lambda: context.language,
        run_checks=make_report_runner(
            lambda: context.language, settings=context.provider.diagnostics_settings
        ),
        describe_checks=describe_in_current_language,
        # Looked up at each question: the window opens after the desk is made.
        on_question=lambda: context.bring_forward(),
    )


def create_local_app(context: AssistantContext, *, start_run: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        context.board.bind_loop(asyncio.get_running_loop())
        if context.live is None:
            context.live = _live_desk(context)
        await context.live.sync()
        first_profile = asyncio.Event()
        profile_refreshing = asyncio.create_task(
            provider_api.refresh_provider(context, first_attempt=first_profile)
        )
        if start_run:
            await provider_api.wait_for_first_profile(context, first_profile)
            # The first run starts with the server, so results are there when the page is.
            token = translator.language.set(context.language)
            context.board.start()
            translator.language.reset(token)
        refreshing = asyncio.create_task(premium_api.refresh_premium(context))
        yield
        refreshing.cancel()
        profile_refreshing.cancel()
        await context.live.close()
        context.board.close()
        context.close()

    app = FastAPI(
        title="Internet Assistant (local)",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.context = context
    app.include_router(pages.router)
    app.include_router(events.router)
    app.include_router(api.router)
    app.include_router(premium_api.router)
    app.include_router(cleanup_api.router)
    app.include_router(knowledge_api.router)
    app.include_router(live_api.router)
    app.include_router(sessions_api.router)
    app.include_router(sharing_api.router)
    app.include_router(experts_api.router)
    app.include_router(appointments_api.router)
    app.include_router(ratings_api.router)
    app.include_router(invoices_api.router)
    app.include_router(provider_api.router)
    premium_api.add_error_handlers(app)
    live_api.add_error_handlers(app)
    sessions_api.add_handlers(app)
    experts_api.add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_input(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
            for error in exc.errors()
        )
        return JSONResponse({"error": f"invalid input: {problems}"}, status_code=422)

    app.add_middleware(SpeakCurrentLanguage, context=context)
    # Added last, so it runs first: nothing is touched before a request is let in.
    app.add_middleware(LocalGuard, secret=context.secret, port=context.port)
    return app
