"""The server killed in the middle of a per-minute session: `agent-portal serve` as an
operator runs it, SIGKILLed while the meter runs with both sides connected, started again
on the same database. The session is paused as of the last tick that saw both sides (the
outage is not billed), the ledger is whole and `agent-portal ledger-check` passes; once
the customer resumes, the meter runs on, and the end posts what the meter showed."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime

import pytest

from agent_portal.ledger.models import Transfer
from agent_portal.paid_sessions.models import PaidSession
from isp_common import paid_sessions_wire as wire
from tests.agent_portal.paid_sessions.support import make_parties
from tests.agent_portal.paid_sessions.test_session_live import Device
from tests.support.live import StaffClient, wait_until
from tests.support.portal_process import PROGRAM, PortalProcess

pytestmark = pytest.mark.subprocess

PRICE = 150  # CHF 1.50 a minute, the expert's price in `make_parties`


def ledger_check(database_url: str, work_dir) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment["PORTAL_DATABASE_URL"] = database_url
    return subprocess.run(
        [str(PROGRAM), "ledger-check"],
        cwd=work_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def as_of(frame: dict) -> datetime:
    return datetime.fromisoformat(frame["meter"]["as_of"])


def test_a_session_survives_the_server_being_killed(settings, world, tmp_path):
    values = {
        "database_url": settings.database_url,
        "data_dir": settings.data_dir,
        "live_sweep_seconds": 0.2,
        "session_tick_seconds": 0.5,
        "default_language": "en",
    }
    parties = make_parties(world, connected=False)
    _device, key = world.device(parties.customer, name="Laptop")
    first = PortalProcess(values, tmp_path / "server", "first").start().wait_ready()
    second = PortalProcess(values, tmp_path / "server", "second")
    device = tab = None
    try:
        tab = StaffClient(first.url, parties.expert.token)
        device = Device(first, key)
        device.send(wire.SessionPropose(command_id="p1", conversation_id=parties.conversation_id))
        session_id = device.next("session.ack")["session_id"]
        device.send(wire.SessionConfirm(command_id="c1", session_id=session_id, maximum=3000))
        assert device.next("session.ack")["meter"]["status"] == "running"
        # The meter runs a few seconds with both sides here; both see it.
        device.next("session.meter", timeout=15, where=lambda f: f["billed_seconds"] >= 3)
        tab.next("session.meter", status="running", timeout=15)

        first.process.kill()  # SIGKILL: no shutdown, no closing of sockets or leases
        first.process.wait(timeout=10)
        killed_at = time.time()
        device.close()
        tab.close()
        before = world.rows(PaidSession)[0]
        assert before.status == "running"  # as the dead server left it
        last_seen = before.both_seen_at
        billed_before = before.banked_seconds + int(
            (last_seen - before.run_started_at).total_seconds()
        )
        assert billed_before >= 3
        assert killed_at - last_seen.timestamp() < 5  # the ticks went on until the kill

        time.sleep(3)  # the outage
        second.start().wait_ready()
        # Both sides come back (the assistant and the tab reconnect by themselves).
        tab = StaffClient(second.url, parties.expert.token)
        device = Device(second, key)

        def paused():
            row = world.rows(PaidSession)[0]
            return row if row.status == "paused" else None

        # The meter is back once the dead server's lease on it has run out.
        row = wait_until(paused, 40, "the session paused after the restart")
        assert row.paused_reason == "disconnected"
        assert row.billed_seconds == row.banked_seconds == billed_before  # not the outage
        assert row.amount == PRICE * billed_before // 60
        shown = device.next("session.meter", timeout=15, where=lambda f: f["status"] == "paused")
        assert (shown["billed_seconds"], shown["paused_reason"]) == (billed_before, "disconnected")
        tab.next("session.meter", status="paused", timeout=15)

        # The ledger is whole: the one hold, nothing posted, nothing half-written.
        transfers = world.rows(Transfer, order=Transfer.id)
        assert [(t.kind, t.idempotency_key) for t in transfers] == [
            ("authorise", f"paid-session:{session_id}:charge:1")
        ]
        checked = ledger_check(settings.database_url, tmp_path / "server")
        assert checked.returncode == 0, checked.stderr
        assert "Ledger check passed" in checked.stdout

        # The customer resumes; the meter runs on from what was billed.
        device.send(wire.SessionResume(command_id="r1", session_id=session_id))
        resumed = device.next("session.ack", where=lambda f: f["command_id"] == "r1")
        assert resumed["meter"]["status"] == "running"
        assert resumed["meter"]["billed_seconds"] == billed_before
        device.next(
            "session.meter",
            timeout=15,
            where=lambda f: f["status"] == "running" and f["billed_seconds"] >= billed_before + 2,
        )
        device.send(wire.SessionEnd(command_id="e1", session_id=session_id))
        ended = device.next("session.ack", where=lambda f: f["command_id"] == "e1")
        summary = wire.SessionSummary.model_validate(device.next("session.summary"))
    finally:
        for client in (device, tab):
            if client is not None:
                client.close()
        first.stop()
        second.stop()

    billed = billed_before + int((as_of(ended) - as_of(resumed)).total_seconds())
    assert ended["meter"]["status"] == "ended"
    assert summary.billed_seconds == billed
    assert summary.amount == summary.charged == PRICE * billed // 60
    row = world.rows(PaidSession)[0]
    assert (row.billed_seconds, row.amount) == (billed, summary.amount)
    # One hold, one post of the charge: nothing lost, nothing twice.
    transfers = world.rows(Transfer, order=Transfer.id)
    assert [(t.kind, t.idempotency_key) for t in transfers] == [
        ("authorise", f"paid-session:{session_id}:charge:1"),
        ("post", f"paid-session:{session_id}:settle:1"),
    ]
    assert transfers[1].amount == summary.charged
    assert row.capture_transfer_id == transfers[1].id
    checked = ledger_check(settings.database_url, tmp_path / "server")
    assert checked.returncode == 0, checked.stderr
