"""The server's end of the device channel on loopback, for the screen sharing's tests: it
greets the assistant as the portal does (challenge, the device's signed hello, welcome),
then sends what the test tells it to (`consent.request`, `relay.opened`, `screen.pull`,
`screen.input`, `consent.closed`) and keeps every frame the assistant sends with the
moment it arrived. The real `DeviceChannel` connects to it over a real socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel
from websockets.asyncio.server import serve

from isp_common.binary_frames import decode
from isp_common.consent_wire import ConsentRequestFrame
from isp_common.live_wire import (
    DEVICE_CHANNEL_PATH,
    Challenge,
    Hello,
    Limits,
    Welcome,
    b64encode,
)


@dataclass
class Received:
    at: float  # time.monotonic() on arrival
    json: dict | None = None
    binary: object = None  # BinaryFrame


@dataclass
class LoopbackPortal:
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    _socket: object = None
    _server: object = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> str:
        self._server = await serve(self._handle, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def _handle(self, socket) -> None:
        assert socket.request.path == DEVICE_CHANNEL_PATH
        await socket.send(Challenge(nonce=b64encode(os.urandom(32))).model_dump_json())
        hello = Hello.model_validate_json(await socket.recv())
        limits = Limits(attachment_max_bytes=1_000_000)
        await socket.send(
            Welcome(device_id=hello.device_id, connection_id="c1", limits=limits).model_dump_json()
        )
        self._socket = socket
        self.connections += 1
        try:
            async for message in socket:
                now = time.monotonic()
                if isinstance(message, bytes):
                    self.received.append(Received(now, binary=decode(message)))
                else:
                    self.received.append(Received(now, json=json.loads(message)))
                self._arrived.set()
        except Exception:  # the assistant went away: the test looks at what arrived
            pass
        finally:
            if self._socket is socket:
                self._socket = None

    async def send(self, frame: BaseModel | dict) -> None:
        data = frame.model_dump_json() if isinstance(frame, BaseModel) else json.dumps(frame)
        await self._socket.send(data)

    async def drop(self) -> None:
        """The connection breaks (the server's side closes it)."""
        if self._socket is not None:
            await self._socket.close()

    async def close(self) -> None:
        self._server.close()
        await self._server.wait_closed()

    # --- what arrived --------------------------------------------------------------------

    def frames(self, type_: str) -> list[dict]:
        return [r.json for r in self.received if r.json and r.json.get("type") == type_]

    def binaries(self) -> list[Received]:
        return [r for r in self.received if r.binary is not None]

    async def wait_for(self, condition, timeout: float = 10.0, tick=None):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if tick is not None:
                tick()
            found = condition()
            if found:
                return found
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), 0.02)
        raise AssertionError(f"nothing arrived in {timeout} s: {self.received[-5:]}")

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await self.wait_for(lambda: self._socket is not None, timeout)


def consent_request(
    consent_id: str,
    kind: str = "screen_view",
    *,
    parent_id: str | None = None,
    answer_in: float = 120.0,
    name: str = "Erik Expert",
) -> ConsentRequestFrame:
    return ConsentRequestFrame(
        consent_id=consent_id,
        kind=kind,
        requester_name=name,
        requester_role="expert",
        reason="Your e-mail program shows an error",
        answer_by=datetime.now(UTC) + timedelta(seconds=answer_in),
        parent_id=parent_id,
    )
