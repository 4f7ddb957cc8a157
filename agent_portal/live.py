"""Puts the live channel together: the pub/sub of the settings, the message kinds and
presence hooks each domain registers (its `live_kinds.register`, found by
`realtime.registry.collect`), and the background jobs each domain's `domain.py` names
(`agent_portal.domains`). `create_app` calls `build_live` and starts and stops the result
with the application. The routes of the sockets, the chat and the remote diagnostics are
their domains' own, like every other route."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from agent_portal import domains
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine, make_session_factory
from agent_portal.realtime.hub import LiveServices
from agent_portal.realtime.pubsub import make_pubsub
from agent_portal.realtime.registry import collect
from isp_common.clock import Clock, utc_now


def live_session_factory(settings: PortalSettings) -> tuple[sessionmaker[Session], Engine]:
    """The live channel writes through connections of its own that commit without waiting
    for the disk: on SQLite WAL with synchronous=NORMAL, on PostgreSQL
    synchronous_commit=off. A chat message survives a crash or restart of the server; only
    a power cut or a crash of the whole machine can lose the last second of chat (never
    half of it: the database stays consistent). Waiting for the disk on every message
    caps a busy hotline at what the disk can flush. The portal's other writes (logins,
    codes, reports) keep the full wait."""
    # No test round trip before each use either: after a database restart a stale
    # connection fails one message, and its sender repeats it until acknowledged.
    engine = make_engine(settings.database_url, pre_ping=False)
    event.listen(engine, "connect", _commit_without_waiting_for_the_disk)
    return make_session_factory(engine), engine


def _commit_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor.execute("PRAGMA synchronous=NORMAL")
    else:
        cursor.execute("SET synchronous_commit TO off")
        dbapi_connection.commit()  # psycopg opens a transaction even for SET
    cursor.close()


def build_live(settings: PortalSettings, clock: Clock = utc_now) -> LiveServices:
    factory, engine = live_session_factory(settings)
    return LiveServices(
        settings=settings,
        session_factory=factory,
        engine=engine,
        pubsub=make_pubsub(settings.pubsub_url),
        clock=clock,
        messages=collect(),
        jobs=_jobs(settings),
    )


def _jobs(settings: PortalSettings) -> list:
    return [job for domain in domains.all_domains() if domain.jobs for job in domain.jobs(settings)]
