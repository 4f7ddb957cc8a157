"""`/ws/staff`: each open portal tab keeps one. It makes the staff member present (online
while a tab is visible and used, away when idle, offline when the last tab closes) and
brings the tab its live events and the relay streams to it (`realtime.relay`). The tab's
frames, JSON and binary, go through `realtime.dispatch` (each kind's access rule first) to
the handlers the domains register (`realtime.registry`). A change of the member's access
(`schemas.AccessChanged` on their channel, from any worker) closes it at once. The tab's
script is `static/live/live.js`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from fastapi import WebSocket

from agent_portal.realtime import presence, relay
from agent_portal.realtime.access import StaffIdentity
from agent_portal.realtime.dispatch import dispatch, dispatch_binary, staff_kind
from agent_portal.realtime.hub import (
    STAFF_ALL,
    Connection,
    LiveServices,
    close_quietly,
    receive_frame,
    staff_channel,
)
from agent_portal.realtime.registry import connected
from agent_portal.realtime.schemas import (
    ACCESS_CHANGED_PREFIX,
    CLOSE_ACCESS_CHANGED,
    AccessChanged,
    staff_message,
    staff_presence_event,
)
from agent_portal.unit_of_work import committed
from isp_common.i18n import DEFAULT_LANGUAGE
from isp_common.live_wire import Pong

log = logging.getLogger(__name__)
# Input is reported often; the database hears of it at most this often (plus every change
# between away and online, which is what others see).
ACTIVITY_WRITE_INTERVAL = timedelta(seconds=20)


@dataclass
class StaffSession:
    SENDER: ClassVar = "staff"
    live: LiveServices
    connection: Connection
    staff: StaffIdentity
    last_written: datetime | None = None
    grants: set = field(default_factory=set)  # lasting grants of the access rules
    language: str = DEFAULT_LANGUAGE  # the tab's, when it connected: its refusals' language

    @property
    def sender(self) -> StaffIdentity:
        return self.staff

    def reply(self, message) -> None:
        self.connection.send(message)


async def current_status(live: LiveServices, staff_id: int) -> presence.StaffStatus:
    return await live.run_db(
        presence.staff_status,
        staff_id=staff_id,
        now=live.now(),
        away_after=timedelta(minutes=live.settings.staff_away_minutes),
    )


async def announce(live: LiveServices, staff_id: int, status: presence.StaffStatus) -> None:
    await live.publish(STAFF_ALL, staff_presence_event(staff_id, status.value))
    for hook in live.messages.staff_presence_hooks:
        # A domain's fault must neither keep the others from hearing nor drop the socket
        # whose opening announced it (it was not yet under the socket's own clean-up).
        try:
            await hook(live, staff_id, status)
        except Exception:
            log.exception("staff %s: a presence hook failed (%s)", staff_id, status.value)


async def serve_staff(websocket: WebSocket, staff: StaffIdentity) -> None:
    live: LiveServices = websocket.app.state.live
    connection = Connection(websocket)
    connection.on_event = _closing_on_access_change(connection, staff)
    language = websocket.scope.get("state", {}).get("language", live.settings.default_language)
    session = StaffSession(live, connection, staff, language=language)
    # Listening before the tab hears "open": whatever happens from then on reaches it
    # (queued until the writer starts).
    await live.attach(connection, staff_channel(staff.id))
    await live.attach(connection, STAFF_ALL)
    try:
        await websocket.accept()
    except Exception:
        await live.unregister(connection)
        raise
    await live.register(connection)
    await relay.join(live, connection)
    before = await current_status(live, staff.id)
    now = live.now()
    await live.run_db(
        committed(presence.open_connection),
        connection_id=connection.id,
        worker_id=live.worker_id,
        staff_id=staff.id,
        now=now,
    )
    session.last_written = now
    if before is not presence.StaffStatus.online:
        await announce(live, staff.id, presence.StaffStatus.online)
    kinds = live.messages
    try:
        await connected(session, kinds.staff_connect_hooks)
        while not connection.closing:
            frame = await receive_frame(websocket)
            if frame is None:
                return
            if isinstance(frame, bytes):
                await dispatch_binary(session, frame, kinds.staff_binary)
            else:
                await dispatch(session, frame, kinds.staff, staff_message)
    finally:
        await relay.leave(live, connection)
        await live.unregister(connection)
        await live.run_db(
            committed(presence.close_connection), connection_id=connection.id, now=live.now()
        )
        after = await current_status(live, staff.id)
        if after is not presence.StaffStatus.online:
            await announce(live, staff.id, after)
        await close_quietly(websocket, 1000)


def _closing_on_access_change(connection: Connection, staff: StaffIdentity):
    """The filter of the socket's events: an access change tells the tab and closes the
    socket (unless it names the socket's own session as the one to keep)."""

    async def filter_event(text: str) -> bool:
        if not text.startswith(ACCESS_CHANGED_PREFIX):
            return True
        change = AccessChanged.model_validate_json(text)
        if change.keep_session_id is None or change.keep_session_id != staff.session_id:
            connection.send(text)
            connection.close(CLOSE_ACCESS_CHANGED)
        return False

    return filter_event


async def on_activity(session: StaffSession, _message) -> None:
    live = session.live
    now = live.now()
    away = live.known_staff_statuses.get(session.staff.id) == "away"
    if not away and session.last_written and now - session.last_written < _write_interval(live):
        return
    before = await current_status(live, session.staff.id)
    await live.run_db(
        committed(presence.record_activity), connection_id=session.connection.id, now=now
    )
    session.last_written = now
    if before is not presence.StaffStatus.online:
        await announce(live, session.staff.id, presence.StaffStatus.online)


def _write_interval(live: LiveServices) -> timedelta:
    """How long input may go unwritten: never so long that the member could turn away
    meanwhile. The known statuses lag the sweep that announces "away", so they alone cannot
    tell that input after it must be written (an ISP may set a short idle time)."""
    away_after = timedelta(minutes=live.settings.staff_away_minutes)
    return min(ACTIVITY_WRITE_INTERVAL, away_after / 2)


async def on_ping(session, _message) -> None:
    session.reply(Pong())


# Every staff member, whatever the role: they say nothing about anyone else.
STAFF_KINDS = {"activity": staff_kind(on_activity), "ping": staff_kind(on_ping)}
