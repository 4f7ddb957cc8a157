"""Dependencies the routes share: the database session, the settings and the server's keys.

The staff member of the request and role checks live in `agent_portal.auth.deps`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from agent_portal.config import PortalSettings
from agent_portal.database import session_scope
from agent_portal.server_keys import ServerKeys


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.session_factory)


# These two only read the app's state: `async def` keeps FastAPI from handing each of them
# to a worker thread (a sync dependency costs a thread hop per request).
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
