"""Runs an ASGI app with uvicorn on a free loopback port in a background thread, so tests talk
to it over real HTTP (and browsers can open it)."""

from __future__ import annotations

import threading
import time

import uvicorn


class LiveServer:
    def __init__(self, app, host: str = "127.0.0.1", *, port: int = 0, lifespan: str = "on"):
        """`port` 0: a free one. `lifespan="off"` serves an app another server has started.
        As `agent-portal serve`: proxy headers are the app's business (its settings name
        the proxies); uvicorn's own reading would believe any request from 127.0.0.1."""
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", lifespan=lifespan, proxy_headers=False
        )
        self.server = uvicorn.Server(config)
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
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
