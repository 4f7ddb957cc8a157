"""Serves the local app with uvicorn in a background thread, on a socket bound up front.

Binding first tells us the port before the app is built (the guard needs it), and a
random port is taken by the OS, never guessed.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import uvicorn

STARTUP_TIMEOUT_SECONDS = 20.0


def bind_loopback(port: int = 0) -> socket.socket:
    """A listening TCP socket on 127.0.0.1 (port 0: any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.set_inheritable(False)
    return sock


class LocalServer:
    def __init__(self, app, sock: socket.socket, *, before_stop: Callable[[], None] = lambda: None):
        self.sock = sock
        self.port: int = sock.getsockname()[1]
        self.before_stop = before_stop
        config = uvicorn.Config(
            app,
            # Into the assistant's log (assistant.logs), warnings and errors only; no
            # access lines (the page's first address carries the launch secret).
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="on",
            # Open event streams end themselves on stop; this only bounds a stuck request.
            timeout_graceful_shutdown=3,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, name="local-api", daemon=True
        )

    def start(self) -> LocalServer:
        self.thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError("the local server stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError("the local server did not start in time")
            time.sleep(0.005)
        return self

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        if not self.thread.is_alive():
            return
        self.before_stop()
        self.server.should_exit = True
        self.thread.join(timeout)
