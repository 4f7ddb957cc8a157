"""A side that (re)connects while a session of theirs is open hears at once where it
stands, over the real sockets: the customer's device the proposal and the meter, the
expert's new tab the meter; nothing once the session is over. The meter's job ticks only
every minute here, so what arrives is what the connect sends."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed

from isp_common import paid_sessions_wire as wire
from tests.agent_portal.paid_sessions.support import make_parties
from tests.agent_portal.paid_sessions.test_session_live import Device


def session_frames(client, seconds: float = 1.0) -> list[dict]:
    """The session frames a client gets within `seconds`."""
    got = [f for f in client.frames if f["type"].startswith("session.")]
    client.frames.clear()
    try:
        while True:
            frame = json.loads(client.socket.recv(timeout=seconds))
            if frame["type"].startswith("session."):
                got.append(frame)
    except (TimeoutError, ConnectionClosed):
        return got


@pytest.mark.portal_settings(session_tick_seconds=60)
def test_a_reconnecting_side_hears_the_open_session_at_once(portal, world, staff_client):
    parties = make_parties(world, connected=False)
    _device, key = world.device(parties.customer, name="Laptop")
    device = Device(portal, key)
    device.send(wire.SessionPropose(command_id="p1", conversation_id=parties.conversation_id))
    session_id = device.next("session.ack")["session_id"]
    device.close()

    # Proposed: the device hears the proposal again (to confirm it), and the meter.
    device = Device(portal, key)
    proposal, meter = device.next("session.proposal", timeout=3), device.next("session.meter")
    assert proposal["session_id"] == meter["session_id"] == session_id
    assert proposal["price"] == 150 and proposal["billing_text"].startswith("Abrechnung")
    assert meter["status"] == "proposed"
    tab = staff_client(parties.expert)
    assert tab.next("session.meter", timeout=3)["status"] == "proposed"
    tab.close()

    device.send(wire.SessionConfirm(command_id="c1", session_id=session_id, maximum=3000))
    device.next("session.ack", where=lambda f: f["command_id"] == "c1")
    device.send(wire.SessionPause(command_id="s1", session_id=session_id))
    paused = device.next("session.ack", where=lambda f: f["command_id"] == "s1")["meter"]
    device.close()

    # Paused: both sides see the pause, its reason and the figures, and no proposal.
    device = Device(portal, key)
    frames = session_frames(device)
    assert [f["type"] for f in frames] == ["session.meter"]
    shown = frames[0]
    assert (shown["status"], shown["paused_reason"]) == ("paused", "customer")
    assert (shown["billed_seconds"], shown["amount"], shown["maximum"]) == (
        paused["billed_seconds"],
        paused["amount"],
        3000,
    )
    tab = staff_client(parties.expert)
    expert_sees = tab.next("session.meter", timeout=3)
    assert (expert_sees["status"], expert_sees["paused_reason"]) == ("paused", "customer")
    tab.close()

    # Running: the meter as of now, though no tick has come since.
    device.send(wire.SessionResume(command_id="r1", session_id=session_id))
    device.next("session.ack", where=lambda f: f["command_id"] == "r1")
    device.close()
    device = Device(portal, key)
    running = device.next("session.meter", timeout=3)
    assert running["status"] == "running" and running["paused_reason"] is None
    assert running["billed_seconds"] >= paused["billed_seconds"]
    tab = staff_client(parties.expert)
    assert tab.next("session.meter", timeout=3)["status"] == "running"
    tab.close()

    # Over: nothing is sent on connecting.
    device.send(wire.SessionEnd(command_id="e1", session_id=session_id))
    device.next("session.ack", where=lambda f: f["command_id"] == "e1")
    device.close()
    device = Device(portal, key)
    assert session_frames(device) == []
    device.close()
    tab = staff_client(parties.expert)
    assert session_frames(tab) == []
    tab.close()


@pytest.mark.portal_settings(session_tick_seconds=60)
def test_another_customers_device_hears_nothing_of_the_session(portal, world, staff_client):
    parties = make_parties(world, connected=False)
    _device, key = world.device(parties.customer, name="Laptop")
    device = Device(portal, key)
    device.send(wire.SessionPropose(command_id="p1", conversation_id=parties.conversation_id))
    device.next("session.ack")
    device.close()
    stranger = world.customer("K-200999")
    _other, other_key = world.device(stranger, name="Nachbar-PC")
    other = Device(portal, other_key)
    assert session_frames(other) == []
    other.close()
    # Nor does a staff member who is not the session's expert.
    colleague = world.staff("paul.kollege")
    tab = staff_client(colleague)
    assert session_frames(tab) == []
    tab.close()
