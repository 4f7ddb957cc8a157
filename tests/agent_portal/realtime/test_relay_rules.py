"""What a relay stream allows and when it ends, over real sockets: a binary frame that is
malformed, too large, of an unknown kind or on a stream the server did not open for the
sender is refused with an error frame saying so, and the socket carries on; a stream
carries its kinds only; a tab can send to the assistant; a stream ends with its sender
and with its last receiver; a stream cannot be opened from or to a socket that is not
there."""

from __future__ import annotations

import json
import struct

import pytest

from agent_portal.realtime.errors import RelayRefused
from agent_portal.realtime.models import LiveConnection
from agent_portal.realtime.relay import RELAY_DATA, open_stream
from isp_common.binary_frames import FRAME_MAX_BYTES, HEADER_BYTES, BinaryFrame, decode, encode
from tests.agent_portal.realtime.test_device_channel import channel, hello_with
from tests.support.live import wait_until
from tests.support.relay import DeviceSide, on_server, tab_of


def header(magic=0xB1, kind=RELAY_DATA, stream_id=12345, seq=7, length=0) -> bytes:
    return struct.pack(">BBHIQI", magic, kind, 0, stream_id, seq, length)


MALFORMED = [
    (b"\x01\x02", "invalid_frame", "20-byte header; this one has only 2 bytes"),
    (b"{" + header()[1:], "invalid_frame", "Not a binary frame of the live channel"),
    (header(magic=0xB2), "invalid_frame", "version 2 is not understood"),
    (header(length=9) + b"short", "invalid_frame", "announces 9 bytes of payload"),
    (
        header(length=FRAME_MAX_BYTES - HEADER_BYTES + 1) + bytes(FRAME_MAX_BYTES - 19),
        "frame_too_large",
        f"at most {FRAME_MAX_BYTES} bytes; this one has {FRAME_MAX_BYTES + 1}",
    ),
    (header(kind=9), "unsupported", "No binary kind 9 on this channel"),
    (header(), "stream_not_open", "Stream 12345 is not open for this connection"),
]


class RawDevice:
    """A device socket spoken frame by frame."""

    def __init__(self, portal, key) -> None:
        self.socket = channel(portal).__enter__()
        assert hello_with(self.socket, key)["type"] == "welcome"

    def send(self, frame: dict | bytes) -> None:
        self.socket.send(frame if isinstance(frame, bytes) else json.dumps(frame))

    def next(self, frame_type: str, timeout: float = 15) -> dict:
        while (frame := json.loads(self.socket.recv(timeout=timeout)))["type"] != frame_type:
            pass
        return frame

    def close(self) -> None:
        self.socket.close()


@pytest.mark.parametrize("sender", ["device", "staff"])
def test_a_bad_binary_frame_is_refused_saying_why_and_the_socket_carries_on(portal, world, sender):
    # A device's refusals are worded in its customer's language, a tab's in its own.
    customer = world.customer(language="en")
    _device, key = world.device(customer)
    if sender == "device":
        client = RawDevice(portal, key)
    else:
        client = tab_of(world, portal, world.staff("anna.berger"))
    try:
        for data, code, says in MALFORMED:
            client.send(data)
            error = client.next("error")
            assert (error["code"], says in error["message"]) == (code, True), error
            if code in ("unsupported", "stream_not_open"):  # the header was read: it is named
                assert (error["stream_id"], error["seq"]) == (12345, 7)
        client.send({"type": "ping"})
        client.next("pong")
    finally:
        client.close()


@pytest.fixture
def linked(world):
    customer = world.customer()
    _device, key = world.device(customer)
    return key, world.staff("anna.berger")


def test_a_stream_carries_only_the_kinds_it_was_opened_for(portal, portal_app, world, linked):
    key, anna = linked
    tab = tab_of(world, portal, anna)
    device = DeviceSide(portal.url, key)
    try:
        stream = on_server(
            portal_app, open_stream, sender=device.connection_id, to_staff=anna.id, kinds=[42]
        )
        assert device.event("relay.opened", stream_id=stream.id).kinds == [42]
        device.send(BinaryFrame(RELAY_DATA, stream.id, 1, b"not this kind"))
        refusal = device.event("error", stream_id=stream.id, seq=1)
        assert refusal.code == "kind_not_on_stream"
        # In the device's customer's language (German here).
        assert "überträgt keine relay.data-Frames" in refusal.message
        tab.send({"type": "ping"})
        tab.next("pong")
        assert tab.binary == []
    finally:
        device.stop()
        tab.close()


def test_a_tab_sends_frames_to_the_assistant(portal, portal_app, world, linked):
    key, anna = linked
    tab = tab_of(world, portal, anna)
    device = DeviceSide(portal.url, key)
    try:
        (tab_connection,) = [
            row.id for row in world.rows(LiveConnection, LiveConnection.staff_id == anna.id)
        ]
        stream = on_server(
            portal_app, open_stream, sender=tab_connection, to_connection=device.connection_id
        )
        assert tab.next("relay.opened", stream_id=stream.id)["role"] == "send"
        assert device.event("relay.opened", stream_id=stream.id).role == "receive"
        sent = [BinaryFrame(RELAY_DATA, stream.id, seq, bytes([seq]) * 5000) for seq in range(20)]
        for frame in sent:
            tab.send(encode(frame))
        wait_until(lambda: len(device.binary) == len(sent), what="the frames at the assistant")
        assert device.binary == sent
    finally:
        device.stop()
        tab.close()


def test_a_stream_ends_with_its_last_receiver_and_with_its_sender(
    portal, portal_app, world, linked
):
    key, anna = linked
    first_tab, second_tab = tab_of(world, portal, anna), tab_of(world, portal, anna)
    device = DeviceSide(portal.url, key)
    try:
        stream = on_server(portal_app, open_stream, sender=device.connection_id, to_staff=anna.id)
        assert len(stream.receivers) == 2
        for tab in (first_tab, second_tab):
            tab.next("relay.opened", stream_id=stream.id)
        device.event("relay.opened", stream_id=stream.id)
        device.send(BinaryFrame(RELAY_DATA, stream.id, 0, b"to both tabs"))
        for tab in (first_tab, second_tab):
            assert decode(tab.next_binary()).payload == b"to both tabs"

        first_tab.close()
        device.send(BinaryFrame(RELAY_DATA, stream.id, 1, b"to the tab still open"))
        assert decode(second_tab.next_binary()).seq == 1
        assert not any(event.type == "relay.closed" for event in device.events)

        second_tab.close()
        device.event("relay.closed", stream_id=stream.id)  # nobody receives it any more
        device.send(BinaryFrame(RELAY_DATA, stream.id, 2, b"to nobody"))
        assert device.event("error", stream_id=stream.id, seq=2).code == "stream_not_open"

        third_tab = tab_of(world, portal, anna)
        again = on_server(portal_app, open_stream, sender=device.connection_id, to_staff=anna.id)
        third_tab.next("relay.opened", stream_id=again.id)
        device.stop()  # the assistant quits: its streams end
        third_tab.next("relay.closed", stream_id=again.id)
        third_tab.close()
    finally:
        device.stop()
        first_tab.close()
        second_tab.close()


def test_a_stream_is_refused_without_a_sender_or_a_receiver(portal, portal_app, world, linked):
    key, anna = linked
    device = DeviceSide(portal.url, key)
    try:
        with pytest.raises(RelayRefused, match="No receiving connection is open") as refused:
            on_server(portal_app, open_stream, sender=device.connection_id, to_staff=anna.id)
        assert refused.value.code == "no_receiver"
        tab = tab_of(world, portal, anna)
        with pytest.raises(RelayRefused, match="The sending connection is not open") as refused:
            on_server(portal_app, open_stream, sender="f" * 32, to_staff=anna.id)
        assert refused.value.code == "sender_gone"
        with pytest.raises(ValueError, match="a staff member's tabs or to one connection"):
            on_server(
                portal_app,
                open_stream,
                sender=device.connection_id,
                to_staff=anna.id,
                to_connection=device.connection_id,
            )
        tab.close()
    finally:
        device.stop()


@pytest.mark.browser
def test_a_portal_tab_hears_the_frames_of_its_stream(portal, portal_app, world, linked, staff_page):
    """The portal's script hands binary frames, unchanged, to the page's listeners, and
    the page can send on a stream of its own."""
    key, anna = linked
    page = staff_page(anna)
    ids = {row.id for row in world.rows(LiveConnection, LiveConnection.staff_id == anna.id)}
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    page.evaluate(
        """() => {
            window.heard = [];
            portalLive.on("binary", (buffer) => {
                window.heard.push(Array.from(new Uint8Array(buffer)));
            });
        }"""
    )
    (tab,) = wait_until(
        lambda: (
            {r.id for r in world.rows(LiveConnection, LiveConnection.staff_id == anna.id)} - ids
        ),
        what="the page's channel is open",
    )
    device = DeviceSide(portal.url, key)
    try:
        to_page = on_server(portal_app, open_stream, sender=device.connection_id, to_connection=tab)
        device.event("relay.opened", stream_id=to_page.id)
        sent = BinaryFrame(RELAY_DATA, to_page.id, 3, bytes(range(256)))
        device.send(sent)
        page.wait_for_function("() => window.heard.length === 1")
        assert bytes(page.evaluate("() => window.heard[0]")) == encode(sent)

        from_page = on_server(
            portal_app, open_stream, sender=tab, to_connection=device.connection_id
        )
        device.event("relay.opened", stream_id=from_page.id)
        answer = encode(BinaryFrame(RELAY_DATA, from_page.id, 0, b"from the page"))
        assert page.evaluate(
            "(bytes) => portalLive.sendBinary(new Uint8Array(bytes).buffer)", list(answer)
        )
        wait_until(lambda: device.binary, what="the page's frame at the assistant")
        assert encode(device.binary[0]) == answer
    finally:
        device.stop()
