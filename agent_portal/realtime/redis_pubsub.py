"""The publish/subscribe interface on Redis, for several workers or hosts.

Each process keeps one Redis connection for publishing and one subscribing connection
whose channels follow its local subscribers; a reader task hands each message to the local
handlers. Redis's PUBLISH keeps the order per channel, like the in-process bus.

Redis carries bytes; the client does not decode what it reads (a binary frame is no UTF-8).
Each message goes out with one byte in front saying what it is, `T` for text (UTF-8) and
`B` for bytes, so a subscriber hands on exactly what was published, on one channel and in
one order with the rest.

Redis drops a subscribing connection that falls behind by more than its
`client-output-buffer-limit pubsub` (32 MB by default); the reader then reconnects and what
was published in between is lost, as after any reconnect. The reader only hands messages
on (slow sockets drop binary frames in their own queues, `realtime.hub.Connection`), so
it keeps up.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

import redis.asyncio as redis
from redis.exceptions import RedisError

from agent_portal.realtime.pubsub import Message, PubSub, wait_closed

log = logging.getLogger(__name__)
RECONNECT_PAUSE_SECONDS = 0.5
TEXT_TAG = b"T"
BYTES_TAG = b"B"


def tagged(message: Message) -> bytes:
    if isinstance(message, str):
        return TEXT_TAG + message.encode("utf-8")
    return BYTES_TAG + message


def untagged(data: bytes) -> Message:
    tag, body = data[:1], data[1:]
    if tag == BYTES_TAG:
        return body
    if tag == TEXT_TAG:
        return body.decode("utf-8")
    raise ValueError(f"a pub/sub message without a known tag: {data[:16]!r}")


class RedisPubSub(PubSub):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._client: redis.Redis | None = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        # A channel of our own, so the subscribing connection always has one and the
        # reader can wait on it even while no one else listens.
        self._own_channel = f"portal-worker:{uuid.uuid4().hex}"

    async def start(self) -> None:
        # RESP2: redis-py's RESP3 parser turns every pub/sub message into a debug-log string
        # first, whole (a millisecond and more for a screen picture), logged or not.
        self._client = redis.from_url(self.url, decode_responses=False, protocol=2)
        await self._client.ping()  # a wrong URL fails at start, naming the server
        self._pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._own_channel)
        self._reader = asyncio.create_task(self._read(), name="redis-pubsub-reader")

    async def close(self) -> None:
        await wait_closed(self._reader)
        self._reader = None
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._client is not None:
            await self._client.aclose()
        self._handlers.clear()

    async def publish(self, channel: str, message: Message) -> None:
        assert self._client is not None, "RedisPubSub.start() was not awaited"
        await self._client.publish(channel, tagged(message))

    async def _channel_opened(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)

    async def _channel_closed(self, channel: str) -> None:
        try:
            await self._pubsub.unsubscribe(channel)
        except RedisError as error:  # the reader resubscribes what is left after a reconnect
            log.warning("could not unsubscribe %s from Redis: %s", channel, error)

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                log.warning("Redis pub/sub connection lost (%s); reconnecting", error)
                await asyncio.sleep(RECONNECT_PAUSE_SECONDS)
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                data = untagged(message["data"])
            except ValueError as error:  # published by something else than a worker
                log.warning("ignored on %r: %s", message["channel"], error)
                continue
            await self._dispatch(message["channel"].decode("utf-8"), data)
