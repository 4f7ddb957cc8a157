"""Runs an ASGI app with uvicorn on a free loopback port in a background thread, so tests talk
to it over real HTTP (and browsers can open it)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time

import uvicorn

# How often a stopping server looks whether its connections have closed. uvicorn itself
# looks every 0.1 s, and pauses 0.1 s more before it starts looking: right for a server
# stopped once in its life, a quarter of a second for each of the hundreds of tests that
# start a portal of their own.
CLOSE_POLL_SECONDS = 0.005


class PromptServer(uvicorn.Server):
    """uvicorn's server, stopped without its pauses: `stop()` wakes its main loop at once
    (uvicorn's looks at `should_exit` every 0.1 s), and its shutdown looks at the closing
    connections every few milliseconds instead of pausing a tenth of a second. The steps
    and their order are uvicorn's (stop listening, close the connections, wait for them
    and for background tasks, then the app's lifespan shutdown); only the waits differ."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        if self.should_exit:  # stopped before the loop could be woken
            self._wake.set()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            # A tick every 0.1 s keeps the Date header current, as uvicorn's does.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    def request_exit(self) -> None:
        """From any thread: the server stops now, not at its next tick."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed already
                loop.call_soon_threadsafe(wake.set)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        while (self.server_state.connections or self.server_state.tasks) and not self.force_exit:
            await asyncio.sleep(CLOSE_POLL_SECONDS)
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


class LiveServer:
    def __init__(self, app, host: str = "127.0.0.1", *, port: int = 0, lifespan: str = "on"):
        """`port` 0: a free one. `lifespan="off"` serves an app another server has started.
        As `agent-portal serve`: proxy headers are the app's business (its settings name
        the proxies); uvicorn's own reading would believe any request from 127.0.0.1."""
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan=lifespan, proxy_headers=False
        )
        self.server = PromptServer(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.host = host
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.005)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self.server.request_exit()
        self.thread.join(timeout=10)
