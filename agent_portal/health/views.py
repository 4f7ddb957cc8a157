"""`/healthz`: the process answers. `/readyz`: and its database does too.

Probes come every few seconds, so they cost no more than they must: `install` adds them
to the app itself (FastAPI looks a route of an included router up through that router on
every request), and they are marked `@public` rather than given `public_route()` (no
dependency to solve).
"""

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from agent_portal.auth.deps import public
from agent_portal.deps import SessionDep


# `async def`: the answer needs no worker thread, so it comes even while every thread is
# busy (a probe that waited for one would see a live server as dead).
@public
async def liveness() -> dict[str, str]:
    return {"status": "ok"}


@public
def readiness(session: SessionDep) -> JSONResponse:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "unavailable", "reason": f"database unreachable: {type(error).__name__}"},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": session.get_bind().dialect.name})


def install(app: FastAPI) -> None:
    app.add_api_route("/healthz", liveness, methods=["GET"], tags=["health"])
    app.add_api_route("/readyz", readiness, methods=["GET"], tags=["health"])
