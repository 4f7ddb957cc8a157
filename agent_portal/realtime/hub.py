"""The WebSocket hub of one worker: its open connections, the pub/sub channels they listen
on, and the background jobs. Lives on `app.state.live`.

Channels (each message is one JSON text, forwarded to the sockets unchanged):

    device:<device id>        a device's channel: chat and diagnostics events for it
    staff:<staff id>          every open portal tab of one staff member
    conversation:<id>         portal tabs that show this conversation
    staff-all                 every portal tab: presence, inbox changes
    connection:<id>           one socket, whatever worker holds it: relay streams
                              (`realtime.relay`): their opening and closing, as JSON, and
                              their binary frames, as bytes

Background jobs run every few seconds: a job of the worker's own (its connections) in every
worker, a job of the whole installation (`singleton`) in one worker at a time, chosen by a
lease (`agent_portal.jobs.leases`). `locks` are the installation's locks for sections that
no two workers may run at once (`agent_portal.jobs.locks`).

Service functions are synchronous (SQLAlchemy sessions); `run_db` runs them in a worker
thread with a session of their own, so the event loop never waits on the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import gc
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from agent_portal.config import PortalSettings
from agent_portal.jobs import leases
from agent_portal.jobs.locks import ClusterLocks, cluster_locks
from agent_portal.realtime.pubsub import Handler, PubSub, Subscription, wait_closed
from agent_portal.realtime.registry import LiveRegistry
from isp_common.binary_frames import stream_id_of
from isp_common.clock import Clock, utc_now

log = logging.getLogger(__name__)

STAFF_ALL = "staff-all"
OUTGOING_QUEUE_LIMIT = 2000  # a socket this far behind is closed rather than let grow
# Binary frames (screen pictures: the viewer asks for the next when it has drawn the last,
# so they never pile up unless something is wrong) may fill a socket's queue up to this
# many bytes, and half of its places, so the JSON events always find room. A frame beyond
# that is dropped, not queued: the receiver sees the gap in the sequence numbers.
OUTGOING_BINARY_BUDGET = 4 * 1024 * 1024
OUTGOING_BINARY_FRAMES = OUTGOING_QUEUE_LIMIT // 2
GC_YOUNG_THRESHOLD = 50_000  # allocations between young collections (Python's default: 700)
DATABASE_THREADS = 4  # PostgreSQL: enough to overlap round trips; more only fight for the GIL
CLOSE_FLUSH_SECONDS = 2.0  # how long a closing socket's last frames may take to go out
FIRST_ROUND_AFTER_SECONDS = 1.0  # or the job's own interval, if shorter


def device_channel(device_id: str) -> str:
    return f"device:{device_id}"


def staff_channel(staff_id: int) -> str:
    return f"staff:{staff_id}"


def conversation_channel(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


def connection_channel(connection_id: str) -> str:
    return f"connection:{connection_id}"


def as_text(message: BaseModel | dict | str) -> str:
    if isinstance(message, BaseModel):
        return message.model_dump_json()
    if isinstance(message, dict):
        return json.dumps(message, default=str)
    return message


class Connection:
    """One open WebSocket. Outgoing frames, JSON texts and binary frames, go through a
    queue and a writer task, so a slow socket never holds up delivery to the others."""

    def __init__(self, websocket: WebSocket, *, on_event=None) -> None:
        self.id = uuid.uuid4().hex
        self.websocket = websocket
        self.subscriptions: list[Subscription] = []
        self._queue: asyncio.Queue[str | bytes | None] = asyncio.Queue(OUTGOING_QUEUE_LIMIT)
        self._binary_bytes = self._binary_frames = 0
        self._writer: asyncio.Task | None = None
        # Called with each pub/sub message before it is forwarded; False keeps it back.
        self.on_event: Callable[[str], Awaitable[bool]] | None = on_event
        self.closing = False
        # Relay streams (`realtime.relay`): those this socket sends on, by id, and those it
        # receives, with the sending connection of each.
        self.streams_out: dict[int, Any] = {}
        self.streams_in: dict[int, str] = {}

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write(), name=f"socket-writer-{self.id}")

    def send(self, message: BaseModel | dict | str) -> None:
        if self.closing:
            return
        try:
            self._queue.put_nowait(as_text(message))
        except asyncio.QueueFull:
            log.warning("connection %s is too far behind; closing it", self.id)
            self.close(1013)

    def send_bytes(self, frame: bytes) -> bool:
        """Queues a binary frame; False when it was dropped, the socket being too far behind
        (or closing)."""
        if self.closing:
            return False
        if (
            self._binary_bytes + len(frame) > OUTGOING_BINARY_BUDGET
            or self._binary_frames >= OUTGOING_BINARY_FRAMES
        ):
            return False
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:  # full of JSON events: `send` closes the socket
            return False
        self._binary_bytes += len(frame)
        self._binary_frames += 1
        return True

    async def deliver(self, _channel: str, text: str) -> None:
        if self.on_event is not None and not await self.on_event(text):
            return
        self.send(text)

    def close(self, code: int = 1000) -> None:
        """Closes after the frames already queued have gone out."""
        if not self.closing:
            self.closing = True
            self._queue.put_nowait(None)
            self._close_code = code

    async def _write(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                if item is None:
                    await self.websocket.close(getattr(self, "_close_code", 1000))
                    return
                if isinstance(item, str):
                    await self.websocket.send_text(item)
                    continue
                self._binary_bytes -= len(item)
                self._binary_frames -= 1
                # A stream closed while its frames waited: closing stops them at once.
                if stream_id_of(item) in self.streams_in:
                    await self.websocket.send_bytes(item)
        except Exception as error:  # the peer went away; the reader notices too
            log.debug("writer of %s stopped: %s", self.id, error)

    async def stop(self) -> None:
        """Stops the writer; a close asked for with a reason (`close(code)`) goes out first,
        with the frames queued before it: the reader may end sooner and call this before
        the writer had its turn, and the other side would get neither frame nor code."""
        if self._writer is not None and hasattr(self, "_close_code"):
            with contextlib.suppress(Exception):  # timed out or failed: stopped below
                await asyncio.wait_for(asyncio.shield(self._writer), CLOSE_FLUSH_SECONDS)
        await wait_closed(self._writer)


@dataclass
class PeriodicJob:
    name: str
    interval: float
    run: Callable[[LiveServices], Awaitable[None]]
    singleton: bool = False
    """True: a job of the whole installation, run by one worker at a time; False: each
    worker runs it for its own part."""


@dataclass
class LiveServices:
    settings: PortalSettings
    session_factory: sessionmaker[Session]
    pubsub: PubSub
    clock: Clock = utc_now
    engine: Engine | None = None  # the live channel's own engine, if it has one
    jobs: list[PeriodicJob] = field(default_factory=list)
    worker_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Every message kind of both sockets with its access rule, and the presence hooks, as
    # the domains register them (`realtime.registry`).
    messages: LiveRegistry = field(default_factory=LiveRegistry)

    def __post_init__(self) -> None:
        self._tasks: list[asyncio.Task] = []
        self.connections: dict[str, Connection] = {}
        self.known_staff_statuses: dict[int, str] = {}
        self._executor: ThreadPoolExecutor | None = None
        # The event loop the hub runs on, once started: code on another thread hands it
        # coroutines (`asyncio.run_coroutine_threadsafe`).
        self.loop: asyncio.AbstractEventLoop | None = None
        self.locks: ClusterLocks = cluster_locks(self.engine or self.session_factory.kw["bind"])

    def now(self) -> datetime:
        return self.clock()

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        tune_garbage_collection()
        await self.pubsub.start()
        for job in self.jobs:
            self._tasks.append(asyncio.create_task(self._repeat(job), name=job.name))

    async def stop(self) -> None:
        ran_jobs = bool(self._tasks)
        for task in self._tasks:
            await wait_closed(task)
        self._tasks.clear()
        if ran_jobs and any(job.singleton for job in self.jobs):
            await self._let_go_of_leases()
        for connection in list(self.connections.values()):
            connection.close(1001)
        await self.pubsub.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self.engine is not None:
            self.engine.dispose()

    async def _let_go_of_leases(self) -> None:
        """Another worker takes this one's jobs at its next round, not when leases run out."""
        try:
            await self.run_db(leases.release_all, holder=self.worker_id)
        except Exception:  # the database is gone: the leases run out by themselves
            log.exception("could not let go of the job leases of worker %s", self.worker_id)

    async def _repeat(self, job: PeriodicJob) -> None:
        lease = leases.Lease(job.name, leases.lease_time(job.interval)) if job.singleton else None
        # The first round comes a moment after the start, not during it: a starting server
        # answers its first requests before a dozen jobs queue for the database.
        await asyncio.sleep(min(job.interval, FIRST_ROUND_AFTER_SECONDS))
        while True:
            try:
                if lease is None or await lease.held(self):
                    await job.run(self)
            except asyncio.CancelledError:
                raise
            except Exception:  # logged, and tried again next round
                log.exception("background job %s failed", job.name)
            await asyncio.sleep(job.interval)

    async def run_db(self, function: Callable[..., Any], /, **kwargs: Any) -> Any:
        """`function(db_session=..., **kwargs)` in a database thread with its own session.

        SQLite takes one writer at a time and makes the others wait and retry; one thread
        doing all the live channel's work in turn is several times faster than many
        threads queueing on its lock. PostgreSQL gets a pool of threads.
        """

        def call() -> Any:
            with self.session_factory() as db_session:
                return function(db_session=db_session, **kwargs)

        if self._executor is None:
            workers = 1 if self.settings.is_sqlite else DATABASE_THREADS
            self._executor = ThreadPoolExecutor(workers, thread_name_prefix="live-db")
        context = contextvars.copy_context()  # the request's language goes along
        return await asyncio.get_running_loop().run_in_executor(self._executor, context.run, call)

    async def publish(self, channel: str, message: BaseModel | dict | str | bytes) -> None:
        """An event as JSON text; bytes (a binary frame) as they are."""
        await self.pubsub.publish(
            channel, message if isinstance(message, bytes) else as_text(message)
        )

    async def attach(
        self, connection: Connection, channel: str, deliver: Handler | None = None
    ) -> None:
        """The channel's events go to the connection; through `deliver(channel, text)`
        when given (a filter that forwards with `connection.deliver`)."""
        if any(s.channel == channel for s in connection.subscriptions):
            return
        subscription = await self.pubsub.subscribe(channel, deliver or connection.deliver)
        connection.subscriptions.append(subscription)

    async def detach(self, connection: Connection, channel: str) -> None:
        for subscription in [s for s in connection.subscriptions if s.channel == channel]:
            connection.subscriptions.remove(subscription)
            await self.pubsub.unsubscribe(subscription)

    async def register(self, connection: Connection) -> None:
        self.connections[connection.id] = connection
        connection.start()

    async def unregister(self, connection: Connection) -> None:
        self.connections.pop(connection.id, None)
        for subscription in connection.subscriptions:
            await self.pubsub.unsubscribe(subscription)
        connection.subscriptions.clear()
        connection.closing = True
        await connection.stop()


def tune_garbage_collection() -> None:
    """Python's full collections walk every object; with hundreds of sockets open that
    stops all of them for tens of milliseconds (the benchmark's slowest deliveries). What
    exists once the server has started (modules, the application) lives as long as the
    process, so it is frozen out of the walk, and young objects are collected less often.
    Memory stays bounded: collections still run, less often. Once per process."""
    global _gc_tuned
    if _gc_tuned:
        return
    _gc_tuned = True
    gc.collect()  # garbage of the start goes first, rather than being frozen for good
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 100)


_gc_tuned = False


async def receive_frame(websocket: WebSocket) -> str | bytes | None:
    """The socket's next frame, a JSON text or a binary frame; None once it is gone."""
    try:
        message = await websocket.receive()
    except (WebSocketDisconnect, RuntimeError):  # RuntimeError: received after the end
        return None
    if message["type"] == "websocket.disconnect":
        return None
    text = message.get("text")
    return text if text is not None else message.get("bytes") or b""


async def close_quietly(websocket: WebSocket, code: int) -> None:
    if websocket.application_state != WebSocketState.DISCONNECTED:
        with contextlib.suppress(Exception):  # already gone
            await websocket.close(code)
