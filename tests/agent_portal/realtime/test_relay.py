"""Relay streams over real sockets, on one worker and on two workers sharing a real Redis:
a domain on the server opens a stream from the customer's assistant to a staff member's
tabs; the assistant's binary frames reach that tab in order and unchanged, nobody else;
once the stream is closed nothing more of it reaches the tab, and the assistant's further
frames on it are refused. A tab that falls behind loses frames, never the channel."""

from __future__ import annotations

import asyncio
import random
import struct
import time

import pytest

from agent_portal.realtime.relay import RELAY_DATA, close_stream, open_stream
from isp_common.binary_frames import BinaryFrame, decode, encode
from isp_common.live_wire import Ping
from tests.support.live import RestartableServer
from tests.support.relay import DeviceSide, has_frame, on_server, read_in_order, tab_of

FRAMES = 1000
FRAME_PAYLOAD = 100 * 1024
# How many frames the assistant sends ahead of what the tab has read: a screen viewer asks
# for the next picture when it has drawn the last, so the frames never pile up.
WINDOW = 8


@pytest.fixture(params=["one worker", "two workers on Redis"])
def workers(request, settings):
    """The assistant's server and the staff's server: one, or two behind one Redis."""
    if request.param == "one worker":
        server = RestartableServer(settings).start()
        yield server, server
        server.stop()
        return
    settings.pubsub_url = request.getfixturevalue("redis_url")
    first, second = RestartableServer(settings).start(), RestartableServer(settings).start()
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def people(world):
    customer = world.customer()
    _device, key = world.device(customer)
    return key, world.staff("anna.berger"), world.staff("bob.keller")


def picture(seq: int) -> bytes:
    return random.Random(seq).randbytes(FRAME_PAYLOAD)


def test_frames_reach_the_chosen_tab_in_order_unchanged_and_stop_at_the_close(
    workers, world, people
):
    device_server, staff_server = workers
    key, anna, bob = people
    anna_tab, bob_tab = tab_of(world, staff_server, anna), tab_of(world, staff_server, bob)
    device = DeviceSide(device_server.url, key)
    try:
        # A domain on the staff's server opens the stream (on the other worker, with Redis).
        stream = on_server(staff_server, open_stream, sender=device.connection_id, to_staff=anna.id)
        assert anna_tab.next("relay.opened", stream_id=stream.id)["role"] == "receive"
        assert device.event("relay.opened", stream_id=stream.id).role == "send"

        for first in range(0, FRAMES, WINDOW):
            for seq in range(first, first + WINDOW):
                device.send(BinaryFrame(RELAY_DATA, stream.id, seq, picture(seq)))
            for seq in range(first, first + WINDOW):
                got = anna_tab.next_binary(timeout=30)
                sent = encode(BinaryFrame(RELAY_DATA, stream.id, seq, picture(seq)))
                if got != sent:
                    pytest.fail(f"frame {seq} arrived as frame {decode(got).seq}, or changed")

        the_close_is_final(staff_server, device, anna_tab, stream)

        bob_tab.send({"type": "ping"})
        bob_tab.next("pong")
        assert bob_tab.binary == []
        assert [f for f in bob_tab.frames if f["type"].startswith("relay.")] == []
    finally:
        device.stop()
        anna_tab.close()
        bob_tab.close()


def the_close_is_final(staff_server, device: DeviceSide, tab, stream) -> None:
    """The assistant keeps sending (each frame says when) while the stream is closed: every
    frame the tab gets was sent before the close was done, nothing comes after the tab
    heard of the close, and the assistant's frames after the close are refused."""
    tab.frames.clear()

    async def keep_sending() -> list[int]:
        seq = FRAMES
        while not any(e.type == "relay.closed" for e in device.events):
            sent_at = struct.pack(">d", time.monotonic())
            await device.channel.send_binary(BinaryFrame(RELAY_DATA, stream.id, seq, sent_at))
            seq += 1
            await asyncio.sleep(0.001)
        after = []
        for _ in range(5):
            await device.channel.send_binary(BinaryFrame(RELAY_DATA, stream.id, seq, b"late"))
            after.append(seq)
            seq += 1
        return after

    sending = asyncio.run_coroutine_threadsafe(keep_sending(), device.loop)
    before = read_in_order(tab, lambda frames: sum(isinstance(f, bytes) for f in frames) >= 20)
    on_server(staff_server, close_stream, stream=stream)
    closed_at = time.monotonic()
    frames = before + read_in_order(tab, has_frame("relay.closed", stream_id=stream.id))
    late_seqs = sending.result(30)
    refusals = [
        device.event("error", seq=seq, stream_id=stream.id, code="stream_not_open")
        for seq in late_seqs
    ]
    # In the device's customer's language (German here).
    assert all("nicht offen" in refusal.message for refusal in refusals)

    delivered = [decode(frame) for frame in frames if isinstance(frame, bytes)]
    sent_times = [struct.unpack(">d", frame.payload)[0] for frame in delivered]
    assert max(sent_times) < closed_at, "a frame sent after the close reached the tab"
    seqs = [frame.seq for frame in delivered]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert max(seqs) < min(late_seqs)
    assert isinstance(frames[-1], dict) and frames[-1]["type"] == "relay.closed"

    tab.send({"type": "ping"})
    after = read_in_order(tab, has_frame("pong"))
    assert [frame for frame in after if isinstance(frame, bytes)] == []


def test_a_tab_that_falls_behind_loses_frames_not_the_channel(settings, world, people):
    """The tab reads nothing while 300 frames of 100 KiB come: the server keeps a few MiB for
    it and drops the rest, saying which; the assistant's channel stays quick, and the tab
    gets what was kept, in order, once it reads again."""
    key, anna, _bob = people
    portal = RestartableServer(settings).start()
    anna_tab = tab_of(world, portal, anna)
    device = DeviceSide(portal.url, key)
    try:
        stream = on_server(portal, open_stream, sender=device.connection_id, to_staff=anna.id)
        anna_tab.next("relay.opened", stream_id=stream.id)
        device.event("relay.opened", stream_id=stream.id)
        count = 300
        for seq in range(count):
            device.send(BinaryFrame(RELAY_DATA, stream.id, seq, picture(seq)))
        started = time.monotonic()
        device.call(device.channel.send(Ping()))
        device.event("pong")
        assert time.monotonic() - started < 10

        def accounted(frames: list) -> bool:
            kept = sum(isinstance(frame, bytes) for frame in frames)
            return kept + len(dropped_seqs(frames)) >= count

        frames = read_in_order(anna_tab, accounted)
        kept = [decode(frame) for frame in frames if isinstance(frame, bytes)]
        dropped = dropped_seqs(frames)
        assert dropped, "nothing was dropped: the tab did not fall behind"
        assert sorted([frame.seq for frame in kept] + dropped) == list(range(count))
        assert [frame.seq for frame in kept] == sorted(frame.seq for frame in kept)
        assert all(frame.payload == picture(frame.seq) for frame in kept)
    finally:
        device.stop()
        anna_tab.close()
        portal.stop()


def dropped_seqs(frames: list) -> list[int]:
    return [
        frame["seq"]
        for frame in frames
        if isinstance(frame, dict) and frame["type"] == "relay.dropped"
    ]
