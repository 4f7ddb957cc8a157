"""Dependencies the routes share: the database session, the settings and the server's keys.

The staff member of the request and role checks live in `agent_portal.auth.deps`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from agent_portal.config import PortalSettings
from agent_portal.server_keys import ServerKeys


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: committed by the route that owns the work, always closed.

    Making a session touches no database, so it is made here in the event loop rather
    than in a worker thread (a sync dependency costs a thread hop on the way in and
    another on the way out). Closing one that still holds a connection rolls it back,
    which waits for the database: that part goes to a worker thread."""
    session = request.app.state.session_factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


# These only read the app's state: `async def` keeps FastAPI from handing each of them to
# a worker thread.
async def get_settings(request: Request) -> PortalSettings:
    return request.app.state.settings


async def get_server_keys(request: Request) -> ServerKeys:
    return request.app.state.server_keys


def client_address(request: Request) -> str:
    """The address the request came from: the connection's peer, or the client a trusted
    reverse proxy names (`PORTAL_FORWARDED_ALLOW_IPS`, applied by the app's middleware)."""
    return request.client.host if request.client else ""


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[PortalSettings, Depends(get_settings)]
ServerKeysDep = Annotated[ServerKeys, Depends(get_server_keys)]
