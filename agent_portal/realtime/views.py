"""The two WebSocket routes and the portal's presence list.

- `/ws/device`: a linked assistant (challenge and signature inside the socket);
- `/ws/staff`: a portal tab of a logged-in staff member (session cookie, same origin);
- `GET /portal/presence`: who of the staff is online, away or offline (JSON for the pages).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, WebSocket

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import require_staff
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.realtime import presence
from agent_portal.realtime.access import StaffIdentity, device_socket, staff_socket
from agent_portal.realtime.device_channel import serve_device
from agent_portal.realtime.staff_channel import serve_staff
from isp_common.live_wire import DEVICE_CHANNEL_PATH

STAFF_CHANNEL_PATH = "/ws/staff"

router = APIRouter(tags=["live"])


@router.websocket(DEVICE_CHANNEL_PATH, dependencies=[device_socket()])
async def device_socket_route(websocket: WebSocket) -> None:
    await serve_device(websocket)


@router.websocket(STAFF_CHANNEL_PATH, dependencies=[staff_socket()])
async def staff_socket_route(websocket: WebSocket) -> None:
    staff: StaffIdentity = websocket.state.staff
    await serve_staff(websocket, staff)


@router.get("/portal/presence", dependencies=[require_staff()], include_in_schema=False)
def staff_presence(request: Request, db_session: SessionDep, settings: SettingsDep) -> dict:
    """Every active staff member with their presence, for the portal's lists."""
    statuses = presence.staff_statuses(
        db_session=db_session,
        now=utcnow(),
        away_after=timedelta(minutes=settings.staff_away_minutes),
    )
    return {
        "staff": [
            {
                "id": member.id,
                "name": member.name,
                "role": member.role,
                "status": statuses.get(member.id, presence.StaffStatus.offline).value,
            }
            for member in auth_service.list_staff(db_session=db_session)
            if member.is_active
        ]
    }
