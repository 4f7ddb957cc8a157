"""The installation's locks, on both databases: one holder at a time, a waiter that gives
up after its time with a clear error, the next holder let in once the first lets go, and a
lock whose holding process is killed freed by the database or the OS, never left held."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from agent_portal.database import make_engine
from agent_portal.jobs.errors import LockTimeout
from agent_portal.jobs.locks import cluster_locks


@pytest.fixture
def locks(database_url):
    engine = make_engine(database_url)
    yield cluster_locks(engine)
    engine.dispose()


def test_one_holder_at_a_time_and_the_next_gets_in_once_it_lets_go(locks):
    order: list[str] = []
    holding, let_go = threading.Event(), threading.Event()

    def first_holder() -> None:
        with locks.held("chat-routing"):
            order.append("first in")
            holding.set()
            let_go.wait(10)  # held until the others have tried, however slow the machine
            time.sleep(0.2)  # and a moment longer, while the second already waits
            order.append("first out")

    thread = threading.Thread(target=first_holder)
    thread.start()
    holding.wait(10)
    refused = pytest.raises(LockTimeout, match="'chat-routing' was held by another worker")
    with refused, locks.held("chat-routing", wait_seconds=0.1):
        order.append("impatient in")
    with locks.held("another-job", wait_seconds=0.1):  # other names are other locks
        order.append("another in")
    let_go.set()
    with locks.held("chat-routing", wait_seconds=10):
        order.append("second in")
    thread.join()
    assert order == ["first in", "another in", "first out", "second in"]


HOLD_AND_HANG = """
import sys, time
from agent_portal.database import make_engine
from agent_portal.jobs.locks import cluster_locks

locks = cluster_locks(make_engine(sys.argv[1]))
with locks.held("chat-routing"):
    print("holding", flush=True)
    time.sleep(60)
"""


@pytest.mark.subprocess
def test_a_lock_whose_holder_is_killed_is_free_again(locks, database_url):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD_AND_HANG), database_url],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(LockTimeout), locks.held("chat-routing", wait_seconds=0.2):
            pass
        holder.kill()  # no chance to let go
        holder.wait(10)
        with locks.held("chat-routing", wait_seconds=10):
            pass
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
