"""Access rules of the WebSocket routes, declared like those of the HTTP routes (see
`agent_portal.auth.access`), so the route table test reads them the same way:

    dependencies=[staff_socket()]    a portal tab: the staff session cookie, checked before
                                     the socket is accepted; same origin only
    dependencies=[device_socket()]   an assistant: proves its device key inside the socket
                                     (challenge and signature, `device_auth`)

A refused staff socket never opens: the handshake is answered 403. So does one of a
staff member who has yet to replace an initial password.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Depends, WebSocket, WebSocketException, status
from fastapi.params import Depends as DependsParam
from starlette.concurrency import run_in_threadpool

from agent_portal.auth import service as auth_service
from agent_portal.auth.access import ACCESS_RULE_ATTRIBUTE, AccessRule
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.database import utcnow


@dataclass(frozen=True)
class StaffIdentity:
    """Who opened a staff socket, as it was then: a change of role closes the socket
    (`schemas.AccessChanged`), so a socket never outlives the role it carries."""

    id: int
    name: str
    role: str
    username: str
    session_id: int | None = None  # the portal session the socket was opened with


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers always send Origin with a WebSocket: a page of another site must not open
    one with the staff member's cookie (cross-site WebSocket hijacking)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser
    return urlsplit(origin).netloc == websocket.headers.get("host", "")


def _load_staff(websocket: WebSocket) -> StaffIdentity | None:
    with websocket.app.state.session_factory() as db_session:
        portal_session = auth_service.get_session_by_token(
            db_session=db_session, token=websocket.cookies.get(SESSION_COOKIE), now=utcnow()
        )
        if portal_session is None or portal_session.staff.must_change_password:
            return None
        staff = portal_session.staff
        return StaffIdentity(
            id=staff.id,
            name=staff.name,
            role=staff.role,
            username=staff.username,
            session_id=portal_session.id,
        )


def staff_socket(*roles: str) -> DependsParam:
    allowed = frozenset(roles)

    async def check_staff_socket(websocket: WebSocket) -> StaffIdentity:
        if not _same_origin(websocket):
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "foreign origin")
        staff = await run_in_threadpool(_load_staff, websocket)
        if staff is None:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "login required")
        if allowed and staff.role not in allowed:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "role not allowed")
        websocket.state.staff = staff
        return staff

    setattr(check_staff_socket, ACCESS_RULE_ATTRIBUTE, AccessRule("staff", allowed))
    return Depends(check_staff_socket)


def device_socket() -> DependsParam:
    def proven_inside_the_socket() -> None:
        return None

    setattr(proven_inside_the_socket, ACCESS_RULE_ATTRIBUTE, AccessRule("device"))
    return Depends(proven_inside_the_socket)
