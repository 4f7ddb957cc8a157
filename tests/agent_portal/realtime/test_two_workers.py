"""Two workers of one installation, each an `agent-portal serve` process, on one database
(PostgreSQL, or one SQLite file) and one Redis: each due e-mail reaches the mail server
once, each waiting chat is given to one agent once and no agent gets more than the limit,
and two workers starting together on a fresh database both come up on a schema migrated
once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from agent_portal.chat.models import Conversation
from agent_portal.database import make_engine, utcnow
from agent_portal.mail import service as mail_service
from agent_portal.mail.models import OutboundEmail
from agent_portal.migrate import alembic_config
from tests.support.live import (
    Assistant,
    StaffClient,
    assignments,
    queue_conversations,
    wait_until,
)
from tests.support.mailbox import smtp_server
from tests.support.portal_process import PortalProcess

pytestmark = pytest.mark.subprocess

MAILS = 50


@pytest.fixture
def workers(settings, tmp_path, redis_url) -> Iterator:
    """`workers(count, **settings)`: that many portal processes on the test's database and
    Redis, all ready; stopped after the test."""
    started: list[PortalProcess] = []

    def start(count: int = 2, **extra) -> list[PortalProcess]:
        values = {
            "database_url": settings.database_url,
            "data_dir": settings.data_dir,
            "pubsub_url": redis_url,
            "live_sweep_seconds": 0.2,
            "default_language": "en",
            **extra,
        }
        made = [
            PortalProcess(values, tmp_path / "workers", f"worker-{len(started) + n}")
            for n in range(count)
        ]
        started.extend(made)
        for worker in made:
            worker.start()
        for worker in made:
            worker.wait_ready()
        return made

    yield start
    for worker in started:
        worker.stop()


def test_each_due_mail_reaches_the_mail_server_once(settings, world, workers):
    with smtp_server() as (mailbox, port):
        workers(2, smtp_host="127.0.0.1", smtp_port=port)
        with world.session() as db_session:
            for number in range(MAILS):
                mail_service.enqueue(
                    db_session=db_session,
                    to_address=f"customer{number}@example.de",
                    subject=f"Mail {number}",
                    body="Your question was answered.",
                    now=utcnow(),
                )
            db_session.commit()
        sent = OutboundEmail.status == "sent"
        wait_until(lambda: world.count(OutboundEmail, sent) == MAILS, 40, "every mail sent")
        time.sleep(1)  # several more rounds of both workers
        subjects = sorted(message["Subject"] for message in mailbox.messages)
    assert subjects == sorted(f"Mail {number}" for number in range(MAILS))
    assert {row.attempts for row in world.rows(OutboundEmail)} == {1}


def test_each_waiting_chat_is_routed_once_and_no_agent_gets_more_than_the_limit(
    settings, world, workers
):
    limit = 3
    first, second = workers(2, chat_max_per_agent=limit)
    customer = world.customer()
    device, _key = world.device(customer)
    waiting = queue_conversations(world, customer, device, 8)
    anna = world.staff("anna.berger", topics=["wifi"])
    ben = world.staff("ben.kraus", topics=["wifi"])
    assistants: list[Assistant] = []
    tabs: list[StaffClient] = []
    try:
        # Each agent comes online on another worker; both workers route at once.
        tabs = [StaffClient(first.url, anna.token), StaffClient(second.url, ben.token)]
        # And two customers ask on either worker meanwhile.
        for number, worker in enumerate((first, second)):
            _device, key = world.device(customer, name=f"Laptop {number}")
            assistant = Assistant(worker.url, key)
            assistants.append(assistant)
            assert assistant.start()
        with ThreadPoolExecutor(2) as pool:
            started = pool.map(lambda a: a.call(a.help.start_chat("wifi", "Hello?")).id, assistants)
            waiting += list(started)

        active = Conversation.status == "active"
        wait_until(lambda: world.count(Conversation, active) == 2 * limit, 20, "agents busy")
        time.sleep(1.5)  # several more rounds of both workers
        given = assignments(world)
        per_agent = {
            agent: world.count(Conversation, active, Conversation.agent_id == agent)
            for agent in (anna.id, ben.id)
        }
    finally:
        for assistant in assistants:
            assistant.stop()
        for tab in tabs:
            tab.close()
    assert per_agent == {anna.id: limit, ben.id: limit}
    assert set(given) <= set(waiting)
    assert sorted(given.values()) == [1] * (2 * limit)  # each told once
    assert world.count(Conversation, Conversation.status == "queued") == len(waiting) - 2 * limit


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request, tmp_path) -> Iterator[str]:
    """An empty database: no tables, no migrations run."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"fresh_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(server.url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_workers_starting_together_on_a_fresh_database_both_come_up(
    fresh_database_url, tmp_path, redis_url
):
    values = {
        "database_url": fresh_database_url,
        "data_dir": tmp_path / "portal-data",
        "pubsub_url": redis_url,
    }
    started = [PortalProcess(values, tmp_path / "workers", f"worker-{n}").start() for n in range(2)]
    try:
        for worker in started:
            worker.wait_ready()
    finally:
        for worker in started:
            worker.stop()
    engine = make_engine(fresh_database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
            script = ScriptDirectory.from_config(alembic_config(engine))
            # The version table names only revisions nothing applied depends on, so
            # "fully migrated" is: every revision is below what it names.
            applied = {
                rev.revision for rev in script.revision_map.iterate_revisions(current, "base")
            }
            every = {rev.revision for rev in script.walk_revisions()}
            assert every - applied == set(), "migrations left unapplied"
    finally:
        engine.dispose()
