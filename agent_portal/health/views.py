"""`/healthz`: the process answers. `/readyz`: and its database does too."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from agent_portal.auth.deps import public_route
from agent_portal.deps import SessionDep

router = APIRouter(tags=["health"], dependencies=[public_route()])


# `async def`: the answer needs no worker thread, so it comes even while every thread is
# busy (a probe that waited for one would see a live server as dead).
@router.get("/healthz")
async def liveness() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readiness(session: SessionDep) -> JSONResponse:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        return JSONResponse(
            {"status": "unavailable", "reason": f"database unreachable: {type(error).__name__}"},
            status_code=503,
        )
    return JSONResponse({"status": "ok", "database": session.get_bind().dialect.name})
