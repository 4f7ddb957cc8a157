"""One publish/subscribe interface for events between the server's parts.

    pubsub = make_pubsub(settings.pubsub_url)   # "" → in this process, "redis://…" → Redis
    await pubsub.start()
    token = await pubsub.subscribe("device:abc", handler)   # handler(channel, message)
    await pubsub.publish("device:abc", '{"type": "chat.message", ...}')
    await pubsub.publish("connection:f00", frame_bytes)
    await pubsub.unsubscribe(token)
    await pubsub.close()

A message is text (JSON events) or bytes (binary frames, relayed unread); each arrives as
what it was published as. Messages are delivered in the order published per channel, text
and bytes alike, at most once, to subscribers that exist when the message is published: it
is a bus for live events, never storage. Whatever must survive is in the database first,
and the receivers fetch it there after a gap (a reconnect).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from itertools import count

log = logging.getLogger(__name__)

Message = str | bytes
Handler = Callable[[str, Message], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    channel: str
    id: int = field(compare=True)


class PubSub(ABC):
    """The interface; `InProcessPubSub` and `RedisPubSub` implement it."""

    def __init__(self) -> None:
        self._handlers: dict[str, dict[int, Handler]] = {}
        self._ids = count(1)

    async def start(self) -> None:  # noqa: B027  (optional for implementations)
        """Connects where there is something to connect to."""

    async def close(self) -> None:  # noqa: B027
        """Lets go of connections; no handler is called afterwards."""

    @abstractmethod
    async def publish(self, channel: str, message: Message) -> None: ...

    async def subscribe(self, channel: str, handler: Handler) -> Subscription:
        handlers = self._handlers.setdefault(channel, {})
        first = not handlers
        subscription = Subscription(channel, next(self._ids))
        handlers[subscription.id] = handler
        if first:
            await self._channel_opened(channel)
        return subscription

    async def unsubscribe(self, subscription: Subscription) -> None:
        handlers = self._handlers.get(subscription.channel)
        if not handlers or handlers.pop(subscription.id, None) is None:
            return
        if not handlers:
            del self._handlers[subscription.channel]
            await self._channel_closed(subscription.channel)

    async def _channel_opened(self, channel: str) -> None:  # noqa: B027
        """The first local handler of `channel` arrived."""

    async def _channel_closed(self, channel: str) -> None:  # noqa: B027
        """The last local handler of `channel` left."""

    async def _dispatch(self, channel: str, message: Message) -> None:
        for handler in list(self._handlers.get(channel, {}).values()):
            try:
                await handler(channel, message)
            except Exception:  # one broken receiver must not stop the others
                log.exception("a handler of %s failed", channel)


class InProcessPubSub(PubSub):
    """Everything in one process: delivery is a function call, in publish order."""

    async def publish(self, channel: str, message: Message) -> None:
        await self._dispatch(channel, message)


def make_pubsub(url: str) -> PubSub:
    """In-process for an empty URL, Redis for `redis://` or `rediss://`."""
    if not url:
        return InProcessPubSub()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from agent_portal.realtime.redis_pubsub import RedisPubSub

        return RedisPubSub(url)
    raise ValueError(
        f"PORTAL_PUBSUB_URL {url!r} is not understood: leave it empty for one process, "
        "or give redis://host:port/db"
    )


async def wait_closed(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
