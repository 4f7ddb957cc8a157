"""A paid session over the real channels: the customer's device socket sends the
commands of `isp_common.paid_sessions_wire`, the expert's portal tab is open; both hear
the proposal, the running meter (ticked by the installation's job), and the summary; a
repeated command is answered with its first ack, and a command_id reused for other
content with an error naming it."""

from __future__ import annotations

import json
import time
from contextlib import ExitStack

import pytest
from websockets.sync.client import ClientConnection, connect

from agent_portal.paid_sessions.models import PaidSession
from isp_common import paid_sessions_wire as wire
from isp_common.live_wire import Hello, b64decode, b64encode, challenge_payload
from tests.agent_portal.paid_sessions.support import make_parties


class Device:
    """The customer's side of the device channel, frame by frame."""

    def __init__(self, portal, key) -> None:
        self._exits = ExitStack()
        self.socket: ClientConnection = self._exits.enter_context(
            connect(portal.url.replace("http://", "ws://") + "/ws/device")
        )
        challenge = json.loads(self.socket.recv(timeout=10))
        signature = key.sign(challenge_payload(b64decode(challenge["nonce"])))
        hello = Hello(
            device_id=key.device_id,
            public_key=key.public_key_base64(),
            signature=b64encode(signature),
        )
        self.socket.send(hello.model_dump_json())
        assert json.loads(self.socket.recv(timeout=10))["type"] == "welcome"
        self.frames: list[dict] = []

    def send(self, frame) -> None:
        self.socket.send(frame.model_dump_json())

    def next(self, frame_type: str, timeout: float = 10, where=lambda frame: True) -> dict:
        deadline = time.monotonic() + timeout
        for frame in self.frames:
            if frame["type"] == frame_type and where(frame):
                self.frames.remove(frame)
                return frame
        while time.monotonic() < deadline:
            try:
                frame = json.loads(self.socket.recv(timeout=max(0.01, deadline - time.monotonic())))
            except TimeoutError:
                break
            if frame["type"] == frame_type and where(frame):
                return frame
            self.frames.append(frame)
        raise AssertionError(f"no {frame_type} within {timeout} s; got {self.frames}")

    def close(self) -> None:
        self._exits.close()


@pytest.mark.portal_settings(session_tick_seconds=0.3)
def test_a_session_over_the_device_socket_with_the_experts_tab_open(portal, world, staff_client):
    parties = make_parties(world, connected=False)
    _device, key = world.device(parties.customer, name="Laptop")
    tab = staff_client(parties.expert)
    device = Device(portal, key)
    try:
        device.send(wire.SessionPropose(command_id="p1", conversation_id=parties.conversation_id))
        ack = wire.SessionAck.model_validate(device.next("session.ack"))
        assert ack.command_id == "p1" and ack.meter.status == "proposed"
        offered = wire.SessionProposal.model_validate(device.next("session.proposal"))
        assert (offered.price, offered.currency, offered.proposed_by) == (150, "CHF", "customer")
        assert offered.billing_text.startswith("Abrechnung auf die Sekunde")  # her language
        assert offered.spending_left == 50_000
        assert tab.next("session.meter", status="proposed")["session_id"] == ack.session_id

        confirm = wire.SessionConfirm(command_id="c1", session_id=ack.session_id, maximum=3000)
        device.send(confirm)
        first = device.next("session.ack", where=lambda f: f["command_id"] == "c1")
        assert first["meter"]["status"] == "running" and first["meter"]["maximum"] == 3000
        device.send(confirm)  # the answer was lost: the same command again
        again = device.next("session.ack", where=lambda f: f["command_id"] == "c1")
        assert again == first
        device.send(confirm.model_copy(update={"maximum": 4000}))
        refused = device.next("error")
        assert (refused["code"], refused["request_id"]) == ("command_id_reused", "c1")
        assert "command_id" in refused["message"]

        # The job ticks the meter while both sides are here; both see it run.
        running = device.next("session.meter", timeout=15, where=lambda f: f["billed_seconds"] >= 2)
        assert running["amount"] == 150 * running["billed_seconds"] // 60
        tab.next("session.meter", status="running", timeout=15)

        device.send(wire.SessionEnd(command_id="e1", session_id=ack.session_id))
        ended = device.next("session.ack", where=lambda f: f["command_id"] == "e1")
        assert ended["meter"]["status"] == "ended"
        summary = wire.SessionSummary.model_validate(device.next("session.summary"))
        assert summary.charged == summary.amount == world.rows(PaidSession)[0].amount
        assert summary.split.expert + summary.split.platform_fee == summary.charged
        assert tab.next("session.summary")["total"] == summary.total

        # A session or conversation not the customer's: refused like one that does not exist,
        # naming the command.
        device.send(wire.SessionEnd(command_id="e2", session_id=ack.session_id + 50))
        refused = device.next("error")
        assert (refused["code"], refused["request_id"]) == ("session_not_found", "e2")
        device.send(
            wire.SessionPropose(command_id="p2", conversation_id=parties.conversation_id + 50)
        )
        refused = device.next("error")
        assert (refused["code"], refused["request_id"]) == ("not_found", "p2")
    finally:
        device.close()
