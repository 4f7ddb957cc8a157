"""Locks across the workers of one installation, for work that must never run twice at
once: routing decisions (two workers giving the same chat out, or one agent more chats
than allowed) and migrations (two workers starting together on a fresh database).

- PostgreSQL: an advisory lock (`pg_advisory_lock`), held by a connection of its own for
  the length of the section, so the section may commit as often as it likes. Scoped to
  the database; released by PostgreSQL when the holder's connection ends, so a worker
  that dies never leaves it held.
- SQLite file: an OS file lock on a file beside the database (`portal.db.<name>.lock`),
  which every process on the machine sees (SQLite is never shared beyond one machine);
  released by the OS when the holder dies.
- SQLite in memory: one process only, so a lock of this process.

`exclusive(name)` is the form for the event loop: the worker's own tasks queue on an
asyncio lock first, so at most one of its threads waits for the shared lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock
from filelock import Timeout as FileLockTimeout
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import OperationalError

from agent_portal.jobs.errors import LockTimeout

DEFAULT_WAIT_SECONDS = 30.0


class ClusterLocks(ABC):
    """Named locks shared by every worker on one database."""

    def __init__(self) -> None:
        self._local: dict[str, asyncio.Lock] = {}

    @abstractmethod
    def acquire(self, name: str, wait_seconds: float | None) -> Any:
        """Blocks until held (raises LockTimeout after `wait_seconds`; None: no limit);
        a handle for `release`."""

    @abstractmethod
    def release(self, handle: Any) -> None: ...

    @contextmanager
    def held(
        self, name: str, *, wait_seconds: float | None = DEFAULT_WAIT_SECONDS
    ) -> Iterator[None]:
        handle = self.acquire(name, wait_seconds)
        try:
            yield
        finally:
            self.release(handle)

    @asynccontextmanager
    async def exclusive(
        self, name: str, *, wait_seconds: float | None = DEFAULT_WAIT_SECONDS
    ) -> AsyncIterator[None]:
        async with self._local.setdefault(name, asyncio.Lock()):
            handle = await self._acquire_in_thread(name, wait_seconds)
            try:
                yield
            finally:
                await asyncio.to_thread(self.release, handle)

    async def _acquire_in_thread(self, name: str, wait_seconds: float | None) -> Any:
        loop = asyncio.get_running_loop()
        waiting = loop.run_in_executor(None, self.acquire, name, wait_seconds)
        try:
            return await asyncio.shield(waiting)
        except asyncio.CancelledError:
            # The thread goes on waiting; whatever it gets is let go at once.
            waiting.add_done_callback(lambda done: self._release_late(loop, done))
            raise

    def _release_late(self, loop: asyncio.AbstractEventLoop, done: asyncio.Future) -> None:
        if not done.cancelled() and done.exception() is None:
            loop.run_in_executor(None, self.release, done.result())


class AdvisoryLocks(ClusterLocks):
    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine

    def acquire(self, name: str, wait_seconds: float | None) -> Connection:
        connection = self.engine.connect()
        try:
            if wait_seconds is not None:
                # Applies to this transaction only: the lock request below.
                milliseconds = max(1, int(wait_seconds * 1000))
                connection.execute(text(f"SET LOCAL lock_timeout = {milliseconds}"))
            connection.execute(select(func.pg_advisory_lock(advisory_key(name))))
            connection.commit()  # the lock is the session's: it outlives the transaction
        except OperationalError as error:
            connection.close()
            if getattr(error.orig, "sqlstate", None) == "55P03":  # lock_not_available
                raise LockTimeout(name, wait_seconds) from None
            raise
        except BaseException:
            connection.close()
            raise
        connection.info["advisory_lock"] = name
        return connection

    def release(self, connection: Connection) -> None:
        name = connection.info.pop("advisory_lock")
        try:
            connection.execute(select(func.pg_advisory_unlock(advisory_key(name))))
            connection.commit()
        except Exception:
            # Not back to the pool still holding the lock: closing the session frees it.
            connection.invalidate()
            raise
        finally:
            connection.close()


def advisory_key(name: str) -> int:
    """PostgreSQL names advisory locks by a 64-bit number: one made from the name."""
    digest = hashlib.blake2b(f"isp-portal:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class FileLocks(ClusterLocks):
    def __init__(self, database_file: Path) -> None:
        super().__init__()
        self.database_file = database_file

    def lock_file(self, name: str) -> Path:
        return self.database_file.with_name(f"{self.database_file.name}.{name}.lock")

    def acquire(self, name: str, wait_seconds: float | None) -> FileLock:
        # A lock object per acquisition: each opens the file anew, so two threads of one
        # process exclude each other as two processes do. The file stays (removing it
        # while another process waits on it would let a third lock a new file).
        lock = FileLock(
            self.lock_file(name),
            thread_local=False,
            fallback_to_soft=False,  # a lock the OS frees when its holder dies, or none
            preserve_lock_file=True,
        )
        try:
            lock.acquire(timeout=-1 if wait_seconds is None else wait_seconds)
        except FileLockTimeout:
            raise LockTimeout(name, wait_seconds) from None
        return lock

    def release(self, lock: FileLock) -> None:
        lock.release()


class ProcessLocks(ClusterLocks):
    """An SQLite database in memory lives in one process: its locks are that process's."""

    def __init__(self) -> None:
        super().__init__()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def acquire(self, name: str, wait_seconds: float | None) -> threading.Lock:
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        if not lock.acquire(timeout=-1 if wait_seconds is None else wait_seconds):
            raise LockTimeout(name, wait_seconds)
        return lock

    def release(self, lock: threading.Lock) -> None:
        lock.release()


def cluster_locks(engine: Engine) -> ClusterLocks:
    """The locks that fit the engine's database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return FileLocks(Path(database).resolve())
    return ProcessLocks()
