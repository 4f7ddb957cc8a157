"""Stopping cleanly on Ctrl-C and SIGTERM, whichever mode the assistant runs in.

Python runs signal handlers only when its main thread executes Python code; in window mode
that thread sits inside Qt's event loop for the whole session. So the handler only wakes a
watcher thread through `signal.set_wakeup_fd` (written by the C-level handler the moment a
signal arrives), and the watcher calls `on_stop` — closing the window or ending the wait.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator

SIGNALS = tuple(
    sig for sig in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if sig
)


@contextlib.contextmanager
def stop_on_signals(on_stop: Callable[[], None]) -> Iterator[None]:
    """Calls `on_stop` (from a watcher thread) when SIGINT or SIGTERM arrives."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may install handlers (e.g. under a test runner)
        return
    reader, writer = socket.socketpair()
    reader.setblocking(True)
    writer.setblocking(False)
    previous_handlers = {sig: signal.signal(sig, lambda *_: None) for sig in SIGNALS}
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def watch() -> None:
        with contextlib.suppress(OSError):
            while True:
                data = reader.recv(16)
                if not data:  # the socket pair was closed: the assistant is ending
                    return
                if any(byte in SIGNALS for byte in data):
                    on_stop()

    watcher = threading.Thread(target=watch, name="stop-signals", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        for sig, handler in previous_handlers.items():
            signal.signal(sig, handler)
        writer.close()
        with contextlib.suppress(OSError):
            reader.shutdown(socket.SHUT_RDWR)
        reader.close()
