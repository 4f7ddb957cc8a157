"""An unlinked computer keeps no live channel: however it was unlinked (released for
another computer, by an agent, by itself), its open channel is told it is refused and
closed at once, and a new one is refused."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from assistant.premium.errors import DeviceLimitReached
from isp_common.live_wire import CLOSE_AUTH_FAILED, Hello, b64decode, b64encode, challenge_payload
from tests.support.premium_portal import PASSWORD, provision


def channel(portal):
    return connect(portal.url.replace("http://", "ws://") + "/ws/device")


def say_hello(socket: ClientConnection, key) -> dict:
    challenge = json.loads(socket.recv(timeout=10))
    signature = key.sign(challenge_payload(b64decode(challenge["nonce"])))
    hello = Hello(
        device_id=key.device_id, public_key=key.public_key_base64(), signature=b64encode(signature)
    )
    socket.send(hello.model_dump_json())
    return json.loads(socket.recv(timeout=10))


def told_and_closed(socket: ClientConnection) -> tuple[dict, int]:
    told = json.loads(socket.recv(timeout=10))
    with pytest.raises(ConnectionClosed) as closed:
        socket.recv(timeout=10)
    return told, closed.value.rcvd.code


@pytest.fixture
def linked(api, assistants):
    provision(api, "K-300400", tier="none")
    old = assistants("old")
    old.sign_in("K-300400", password=PASSWORD, device_name="Alter Laptop")
    return old


def test_a_released_computer_is_told_and_its_channel_closed(portal, linked, assistants):
    new = assistants("new")
    with pytest.raises(DeviceLimitReached):
        new.sign_in("K-300400", password=PASSWORD, device_name="Neuer Laptop")
    with channel(portal) as socket:
        assert say_hello(socket, linked.device_key)["type"] == "welcome"

        new.release_and_sign_in(linked.device_key.device_id)

        told, code = told_and_closed(socket)
    assert told == {
        "type": "refused",
        "code": "unknown_device",
        "message": "This computer has been unlinked from the customer account.",
    }
    assert code == CLOSE_AUTH_FAILED
    with channel(portal) as again:
        answer = say_hello(again, linked.device_key)
    assert answer["type"] == "refused" and answer["code"] == "unknown_device"
    with channel(portal) as socket:  # the computer that took the place gets in
        assert say_hello(socket, new.device_key)["type"] == "welcome"


def test_an_agent_unlinking_a_computer_closes_its_channel(portal, linked, agent):
    with channel(portal) as socket:
        say_hello(socket, linked.device_key)

        agent.post(f"/portal/customers/K-300400/devices/{linked.device_key.device_id}/unlink")

        told, code = told_and_closed(socket)
    assert told["code"] == "unknown_device" and code == CLOSE_AUTH_FAILED


def test_a_computer_unlinking_itself_closes_its_channel(portal, linked):
    with channel(portal) as socket:
        say_hello(socket, linked.device_key)

        linked.sign_out()

        told, code = told_and_closed(socket)
    assert told["code"] == "unknown_device" and code == CLOSE_AUTH_FAILED
