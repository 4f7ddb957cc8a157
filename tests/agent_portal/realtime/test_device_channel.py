"""The device channel: a linked assistant gets in by signing the server's challenge with
its key; a wrong signature, an unknown computer or a garbled hello is refused and leaves no
trace of presence; a connected device is online for the hotline, and offline once gone."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from agent_portal.realtime.models import LiveConnection
from assistant.premium.device_keys import DeviceKey
from isp_common.live_wire import (
    CLOSE_AUTH_FAILED,
    CLOSE_PROTOCOL_ERROR,
    Hello,
    b64decode,
    b64encode,
    challenge_payload,
)
from tests.support.live import wait_until


def channel(portal):
    return connect(portal.url.replace("http://", "ws://") + "/ws/device")


def hello_with(socket, key: DeviceKey, *, sign_with=None, device_id=None) -> dict:
    challenge = json.loads(socket.recv(timeout=10))
    assert challenge["type"] == "challenge"
    payload = challenge_payload(b64decode(challenge["nonce"]))
    signature = (sign_with or key.private_key).sign(payload)
    hello = Hello(
        device_id=device_id or key.device_id,
        public_key=key.public_key_base64(),
        signature=b64encode(signature),
    )
    socket.send(hello.model_dump_json())
    return json.loads(socket.recv(timeout=10))


def closed_with(socket) -> int:
    with pytest.raises(ConnectionClosed) as closed:
        socket.recv(timeout=10)
    return closed.value.rcvd.code


def test_a_linked_device_gets_in_and_is_online_while_connected(portal, world, staff_client):
    customer = world.customer()
    device, key = world.device(customer)
    agent = world.staff("anna.berger")
    watcher = staff_client(agent)
    with channel(portal) as socket:
        welcome = hello_with(socket, key)
        assert welcome["type"] == "welcome"
        assert welcome["device_id"] == device.id
        assert welcome["limits"]["attachment_max_bytes"] == world.settings.chat_attachment_max_bytes
        assert watcher.next("presence", kind="device", id=device.id)["online"] is True
        assert world.count(LiveConnection, LiveConnection.device_id == device.id) == 1
        socket.send(json.dumps({"type": "ping"}))
        assert json.loads(socket.recv(timeout=10)) == {"type": "pong"}
    assert watcher.next("presence", kind="device", id=device.id)["online"] is False
    wait_until(
        lambda: world.count(LiveConnection, LiveConnection.device_id == device.id) == 0,
        what="the closed channel no longer counts",
    )


def test_a_wrong_signature_is_refused(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    impostor = Ed25519PrivateKey.generate()
    with channel(portal) as socket:
        answer = hello_with(socket, key, sign_with=impostor)
        assert answer["type"] == "refused"
        assert answer["code"] == "bad_signature"
        assert "signature" in answer["message"]
        assert closed_with(socket) == CLOSE_AUTH_FAILED
    assert world.count(LiveConnection) == 0


def test_a_signature_of_another_channels_challenge_is_refused(portal, world):
    """A signature is good for the one nonce it was made for: replaying it gets nowhere."""
    customer = world.customer()
    _device, key = world.device(customer)
    with channel(portal) as first:
        challenge = json.loads(first.recv(timeout=10))
        old_signature = key.sign(challenge_payload(b64decode(challenge["nonce"])))
    with channel(portal) as second:
        json.loads(second.recv(timeout=10))  # a fresh challenge, ignored by the replayer
        hello = Hello(
            device_id=key.device_id,
            public_key=key.public_key_base64(),
            signature=b64encode(old_signature),
        )
        second.send(hello.model_dump_json())
        answer = json.loads(second.recv(timeout=10))
        assert (answer["type"], answer["code"]) == ("refused", "bad_signature")
        assert closed_with(second) == CLOSE_AUTH_FAILED


def test_a_computer_that_is_not_linked_is_refused(portal, world, tmp_path):
    stranger = DeviceKey.load_or_create(tmp_path / "stranger")
    with channel(portal) as socket:
        answer = hello_with(socket, stranger)
        assert (answer["type"], answer["code"]) == ("refused", "unknown_device")
        assert "not linked" in answer["message"]
        assert closed_with(socket) == CLOSE_AUTH_FAILED
    assert world.count(LiveConnection) == 0


def test_a_garbled_hello_gets_a_clear_refusal(portal, world):
    with channel(portal) as socket:
        json.loads(socket.recv(timeout=10))
        socket.send('{"type": "hello", "device_id": "x"}')
        answer = json.loads(socket.recv(timeout=10))
        assert answer["type"] == "refused"
        assert answer["code"] == "protocol"
        assert "public_key" in answer["message"] and "signature" in answer["message"]
        assert closed_with(socket) == CLOSE_PROTOCOL_ERROR


def test_the_assistant_client_reports_a_refusal_and_stops_trying(portal, world, assistant_for):
    customer = world.customer()
    device, key = world.device(customer)
    with world.session() as db_session:  # the computer was unlinked in the meantime
        db_session.delete(db_session.get(type(device), device.id))
        db_session.commit()
    assistant = assistant_for(key, start=False)
    assistant.start(wait=False)
    wait_until(lambda: assistant.help.connection == "refused", what="the refusal")
    assert assistant.help.channel.connections == 0
    assert assistant.help.channel.refusal.code == "unknown_device"
    assert "not linked" in assistant.help.channel.refusal.text()


def test_a_newer_channel_of_the_same_device_replaces_the_older(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    with channel(portal) as older:
        assert hello_with(older, key)["type"] == "welcome"
        with channel(portal) as newer:
            assert hello_with(newer, key)["type"] == "welcome"
            assert closed_with(older) == 4409
            newer.send(json.dumps({"type": "ping"}))
            assert json.loads(newer.recv(timeout=10)) == {"type": "pong"}
            wait_until(
                lambda: world.count(LiveConnection, LiveConnection.device_id == device.id) == 1,
                what="one connection left",
            )
