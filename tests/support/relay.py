"""What the relay tests share: the assistant's own channel (`DeviceChannel`) on a thread
and event loop of its own, a portal or two behind one pub/sub, calls into a server's hub
(as a domain opens and closes streams there), and reading a tab's frames in their order."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable

from agent_portal.realtime.models import LiveConnection
from assistant.escalation import Backoff, DeviceChannel
from isp_common.binary_frames import BinaryFrame
from tests.support.live import RestartableServer, StaffClient, wait_until


class DeviceSide:
    """A linked assistant's live channel, as the assistant runs it. Records the relay
    news, error frames and pongs it hears (`events`) and the binary frames (`binary`)."""

    def __init__(self, server_url: str, key, *, binary_kind: int = 1) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.events: list = []
        self.binary: list[BinaryFrame] = []

        async def connect() -> DeviceChannel:
            channel = DeviceChannel(
                server_url=server_url, device_key=key, backoff=Backoff(initial=0.1, maximum=0.5)
            )
            for frame_type in ("relay.opened", "relay.closed", "relay.dropped", "error", "pong"):
                channel.on(frame_type, self.events.append)
            channel.on_binary(binary_kind, self.binary.append)
            self.task = asyncio.create_task(channel.run())
            assert await channel.wait_connected(15), "the assistant's channel did not connect"
            return channel

        self.channel = self.call(connect())

    @property
    def connection_id(self) -> str:
        return self.channel.connection_id

    def call(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def send(self, frame: BinaryFrame) -> None:
        assert self.call(self.channel.send_binary(frame)), "the channel was not connected"

    def event(self, frame_type: str, timeout: float = 15, **match):
        def found():
            return next(
                (
                    event
                    for event in list(self.events)
                    if event.type == frame_type
                    and all(getattr(event, key) == value for key, value in match.items())
                ),
                None,
            )

        return wait_until(found, timeout, f"{frame_type} {match} on the device")

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        try:
            self.call(self.channel.close(), timeout=10)
            self.call(asyncio.wait_for(self.task, 10), timeout=15)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


def on_server(server, coroutine_function: Callable, /, **kwargs):
    """`coroutine_function(live, **kwargs)` on the event loop of the server (a running
    `RestartableServer`, or the application the `portal` fixture serves), as a domain of
    the server calls it; its result."""
    live = getattr(server, "app", server).state.live
    future = asyncio.run_coroutine_threadsafe(coroutine_function(live, **kwargs), live.loop)
    return future.result(15)


def tab_of(world, server: RestartableServer, member) -> StaffClient:
    """A portal tab of the member on that server, once it counts as open."""

    def open_ids() -> set[str]:
        return {row.id for row in world.rows(LiveConnection, LiveConnection.staff_id == member.id)}

    before = open_ids()
    tab = StaffClient(server.url, member.token)
    wait_until(lambda: open_ids() - before, what="the tab counts as open")
    return tab


def read_in_order(tab: StaffClient, until: Callable[[list], bool], timeout: float = 30) -> list:
    """The tab's frames as they come, JSON (dicts) and binary (bytes) in one list, until
    `until(list)` holds."""
    frames: list = []
    deadline = time.monotonic() + timeout
    while not until(frames):
        left = deadline - time.monotonic()
        if left <= 0:
            kinds = [f["type"] if isinstance(f, dict) else "binary" for f in frames[-20:]]
            raise AssertionError(f"not within {timeout} s; the last frames: {kinds}")
        raw = tab.socket.recv(timeout=left)
        frames.append(raw if isinstance(raw, bytes) else json.loads(raw))
    return frames


def has_frame(frame_type: str, **match) -> Callable[[list], bool]:
    def check(frames: list) -> bool:
        return any(
            isinstance(frame, dict)
            and frame["type"] == frame_type
            and all(frame.get(key) == value for key, value in match.items())
            for frame in frames
        )

    return check
