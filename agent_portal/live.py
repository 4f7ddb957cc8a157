"""Puts the live channel together: the pub/sub of the settings, the message kinds and
presence hooks each domain registers (its `live_kinds.register`, found by
`realtime.registry.collect`), and the background jobs. `create_app` calls
`build_live` and starts and stops the result with the application."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from agent_portal.chat import flows as chat_flows
from agent_portal.chat import topic_pages as chat_topic_pages
from agent_portal.chat import views as chat_views
from agent_portal.config import PortalSettings
from agent_portal.consent import flows as consent_flows
from agent_portal.consent import pages as consent_pages  # noqa: F401 (the customer page's record)
from agent_portal.database import make_engine, make_session_factory
from agent_portal.mail import worker as mail_worker
from agent_portal.realtime import jobs as realtime_jobs
from agent_portal.realtime import views as realtime_views
from agent_portal.realtime.hub import LiveServices, PeriodicJob
from agent_portal.realtime.pubsub import make_pubsub
from agent_portal.realtime.registry import collect
from agent_portal.remote_diagnostics import pages as diagnostics_pages
from isp_common.clock import Clock, utc_now

ROUTERS = [
    realtime_views.router,
    chat_views.router,
    chat_topic_pages.router,
    diagnostics_pages.router,
]


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
    sweep = settings.live_sweep_seconds
    factory, engine = live_session_factory(settings)
    return LiveServices(
        settings=settings,
        session_factory=factory,
        engine=engine,
        pubsub=make_pubsub(settings.pubsub_url),
        clock=clock,
        messages=collect(),
        # Each worker keeps its own connections alive; the rest is the installation's
        # work, done by one worker at a time (`singleton`), whatever the number of workers.
        jobs=[
            PeriodicJob("presence", sweep, realtime_jobs.keep_presence),
            PeriodicJob("presence-changes", sweep, realtime_jobs.PresenceChanges(), singleton=True),
            PeriodicJob("consent-expiry", sweep, consent_flows.expire_overdue, singleton=True),
            PeriodicJob("chat-routing", sweep, chat_flows.route_waiting, singleton=True),
            PeriodicJob("mail-outbox", sweep, mail_worker.send_due, singleton=True),
        ],
    )
