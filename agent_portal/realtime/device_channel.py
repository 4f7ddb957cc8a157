"""`/ws/device`: the channel of a linked assistant (protocol in `isp_common.live_wire`).

Challenge, hello, welcome; then the device's messages go, in order, through
`realtime.dispatch` (each kind's access rule first) to the handlers the domains register
(`realtime.registry`: JSON by type, binary frames by kind), and events published on
`device:<id>` go out to it, as do relay streams to it (`realtime.relay`). A newer channel
of the same device replaces this one.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field
from typing import ClassVar

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from agent_portal.realtime import presence, relay
from agent_portal.realtime.device_auth import DeviceIdentity, DeviceRefused, authenticate
from agent_portal.realtime.dispatch import dispatch, dispatch_binary
from agent_portal.realtime.hub import (
    STAFF_ALL,
    Connection,
    LiveServices,
    close_quietly,
    device_channel,
    receive_frame,
)
from agent_portal.realtime.registry import connected
from agent_portal.unit_of_work import committed
from isp_common.live_wire import (
    CLOSE_AUTH_FAILED,
    CLOSE_AUTH_TIMEOUT,
    CLOSE_PROTOCOL_ERROR,
    CLOSE_REPLACED,
    NONCE_BYTES,
    Challenge,
    ChannelReplaced,
    Limits,
    Refused,
    Welcome,
    b64encode,
    device_message,
    hello_message,
)

log = logging.getLogger(__name__)
HELLO_TIMEOUT_SECONDS = 15


@dataclass
class DeviceSession:
    """What a handler gets: who the device is, and how to answer it."""

    SENDER: ClassVar = "device"
    live: LiveServices
    connection: Connection
    device: DeviceIdentity
    # What the device's access rules granted for as long as this socket lives.
    grants: set = field(default_factory=set)

    @property
    def sender(self) -> DeviceIdentity:
        return self.device

    @property
    def language(self) -> str:
        """The customer's language: the one the device's refusals are worded in."""
        return self.device.language

    def reply(self, message) -> None:
        self.connection.send(message)


# Published on the device's channel when it is unlinked (`devices.flows`): the channel
# tells the device it is refused, as a new channel would be, and closes.
UNLINKED_EVENT = '{"type": "device.unlinked"}'
UNLINKED = Refused(
    code="unknown_device", message="This computer has been unlinked from the customer account."
)


def presence_event(device_id: str, online: bool) -> dict:
    return {"type": "presence", "kind": "device", "id": device_id, "online": online}


async def _refuse(websocket: WebSocket, code: str, message: str, close_code: int) -> None:
    try:
        await websocket.send_text(Refused(code=code, message=message).model_dump_json())
    finally:
        await close_quietly(websocket, close_code)


async def _authenticate(live: LiveServices, websocket: WebSocket) -> DeviceIdentity | None:
    nonce = secrets.token_bytes(NONCE_BYTES)
    await websocket.send_text(Challenge(nonce=b64encode(nonce)).model_dump_json())
    try:
        raw = await asyncio.wait_for(websocket.receive_text(), HELLO_TIMEOUT_SECONDS)
    except TimeoutError:
        await _refuse(websocket, "timeout", "No hello in time.", CLOSE_AUTH_TIMEOUT)
        return None
    except (WebSocketDisconnect, RuntimeError):
        return None  # gone before saying hello
    try:
        hello = hello_message.validate_json(raw)
    except ValidationError as error:
        await _refuse(websocket, "protocol", f"Expected hello: {error}", CLOSE_PROTOCOL_ERROR)
        return None
    try:
        return await live.run_db(authenticate, hello=hello, nonce=nonce)
    except DeviceRefused as refused:
        log.warning("device channel refused for %s: %s", hello.device_id, refused.message)
        await _refuse(websocket, refused.code, refused.message, CLOSE_AUTH_FAILED)
        return None


async def serve_device(websocket: WebSocket) -> None:
    live: LiveServices = websocket.app.state.live
    await websocket.accept()
    device = await _authenticate(live, websocket)
    if device is None:
        return
    connection = Connection(websocket)
    # The welcome is the first frame after the hello: events published to the device's
    # channel before it is sent (a meter's tick) wait, and follow it in their order.
    held: list[str] | None = []

    async def replaced_or_unlinked(text: str) -> bool:
        if held is not None:
            held.append(text)
            return False
        if '"channel.replaced"' in text:
            newer = ChannelReplaced.model_validate_json(text)
            if newer.connection_id != connection.id:
                connection.close(CLOSE_REPLACED)
            return False
        if text == UNLINKED_EVENT:
            connection.send(UNLINKED)
            connection.close(CLOSE_AUTH_FAILED)
            return False
        return True

    connection.on_event = replaced_or_unlinked
    session = DeviceSession(live, connection, device)
    channel = device_channel(device.id)
    await live.register(connection)
    await live.attach(connection, channel)
    await relay.join(live, connection)
    await live.publish(channel, ChannelReplaced(connection_id=connection.id))
    await live.run_db(
        committed(presence.open_connection),
        connection_id=connection.id,
        worker_id=live.worker_id,
        device_id=device.id,
        now=live.now(),
    )
    limits = Limits(
        attachment_max_bytes=live.settings.chat_attachment_max_bytes,
        message_max_chars=live.settings.chat_message_max_chars,
    )
    connection.send(Welcome(device_id=device.id, connection_id=connection.id, limits=limits))
    early, held = held, None
    for text in early:
        await connection.deliver(channel, text)
    await live.publish(STAFF_ALL, presence_event(device.id, True))
    log.info("device %s connected (%s)", device.id, connection.id)
    try:
        await connected(session, live.messages.device_connect_hooks)
        await _receive(session, websocket)
    finally:
        await relay.leave(live, connection)
        await live.unregister(connection)
        await live.run_db(
            committed(presence.close_connection), connection_id=connection.id, now=live.now()
        )
        online = await live.run_db(presence.device_online, device_id=device.id, now=live.now())
        if not online:
            await live.publish(STAFF_ALL, presence_event(device.id, False))
        for hook in live.messages.device_disconnected_hooks:
            try:
                await hook(live, device.id, connection.id)
            except Exception:  # the socket is gone either way
                log.exception("device %s: a disconnection hook failed", device.id)
        log.info("device %s disconnected (%s)", device.id, connection.id)
        await close_quietly(websocket, 1000)


async def _receive(session: DeviceSession, websocket: WebSocket) -> None:
    kinds = session.live.messages
    while not session.connection.closing:
        frame = await receive_frame(websocket)
        if frame is None:
            return
        if isinstance(frame, bytes):
            await dispatch_binary(session, frame, kinds.device_binary)
        else:
            await dispatch(session, frame, kinds.device, device_message)
