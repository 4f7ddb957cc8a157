"""Dependencies the routes share: the database session and the settings.

The staff member of the request and role checks live in `agent_portal.auth.deps`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from agent_portal.config import PortalSettings
from agent_portal.database import session_scope


def get_session(request: Request) -> Iterator[Session]:
    yield from session_scope(request.app.state.session_factory)


def get_settings(request: Request) -> PortalSettings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[PortalSettings, Depends(get_settings)]
