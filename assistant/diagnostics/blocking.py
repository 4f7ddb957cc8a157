"""Running blocking calls without letting them hold up the run or the program's exit.

``asyncio.to_thread`` uses the default executor, whose threads the interpreter waits for
at exit; a ``statvfs`` on a dead network drive or a ``getaddrinfo`` against a silent DNS
server could then keep the assistant from closing long after the check was cut. Daemon
threads are abandoned at exit instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_thread(func: Callable[..., T], /, *args: Any) -> T:
    """``func(*args)`` in a daemon thread, with the caller's context (language) carried over."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def deliver(setter: Callable[[Any], None], value: Any) -> None:
        if not future.done():  # the awaiting check may have been cut meanwhile
            setter(value)

    def hand_over(setter: Callable[[Any], None], value: Any) -> None:
        # The run may be over and its loop closed by the time a slow call returns.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(deliver, setter, value)

    def work() -> None:
        try:
            result = context.run(func, *args)
        except BaseException as err:  # handed to the awaiting coroutine, not lost
            hand_over(future.set_exception, err)
        else:
            hand_over(future.set_result, result)

    threading.Thread(target=work, name=f"diagnostics-{func.__name__}", daemon=True).start()
    return await future
