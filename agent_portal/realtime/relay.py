"""Relay streams: binary frames from one socket forwarded, unread, to the sockets a domain
chose, on whatever workers they are.

A domain opens a stream on the server, after its own checks (for a screen view: the
customer's active consent), and closes it when they no longer hold:

    stream = await open_stream(live, sender=connection_id, to_staff=staff_id,
                               kinds=[SCREEN_TILES], purpose="screen-view:42")
    await close_stream(live, stream)

`open_stream` takes the sending connection (a device's or a tab's) and the receivers:
every tab a staff member has open at that moment (`to_staff`), or one connection
(`to_connection`). It tells the receivers, then the sender, on each one's own pub/sub
channel (`connection:<id>`, `hub.connection_channel`); each socket hears `relay.opened`
{stream_id, role, kinds, purpose}. Telling the receivers first means they know the stream
before the sender can put anything on it.

From then on the sender's binary frames with that stream id, of a kind the stream carries,
are published as they came to each receiver's channel and sent to that socket unchanged.
A frame on any other stream id is refused with an error frame (`stream_not_open`): the
rule of the binary kinds (`SENDS_ON_OPEN_STREAM`) is checked on the socket itself, before
the frame goes anywhere.

`close_stream` tells the receivers first (frames still waiting in their queues are
dropped, so the close takes effect at once), then the sender (its next frames are
refused). A stream also closes when its sender's socket closes, and loses a receiver
whose socket closes; without receivers it closes.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable
from functools import partial
from typing import Annotated, Literal

from pydantic import BaseModel, Field, TypeAdapter

from agent_portal.realtime import presence
from agent_portal.realtime.dispatch import (
    BinaryMessage,
    Relation,
    device_binary_kind,
    staff_binary_kind,
)
from agent_portal.realtime.errors import N_, RelayRefused
from agent_portal.realtime.hub import Connection, LiveServices, connection_channel
from isp_common.binary_frames import STREAM_ID_MAX, decode_header
from isp_common.live_wire import RelayClosed, RelayDropped, RelayOpened

# The generic binary kind: bytes whose meaning the stream's opener and its two ends agree
# on. Domains register kinds of their own (a screen's tiles) with `forward` and the rule
# `SENDS_ON_OPEN_STREAM`, and open streams for them.
RELAY_DATA = 1


@dataclasses.dataclass(frozen=True)
class RelayStream:
    id: int
    sender: str  # connection id
    receivers: tuple[str, ...]  # connection ids
    kinds: frozenset[int]
    purpose: str = ""


class _RelayOpen(BaseModel):
    """Internal, on a connection's own channel: it sends or receives on a new stream."""

    type: Literal["relay.open"] = "relay.open"
    stream_id: int
    sender: str
    receivers: list[str]
    kinds: list[int]
    purpose: str


class _RelayClose(BaseModel):
    """Internal: the stream closes; or, with `receiver`, only loses that receiver."""

    type: Literal["relay.close"] = "relay.close"
    stream_id: int
    receiver: str | None = None


_control = TypeAdapter(Annotated[_RelayOpen | _RelayClose, Field(discriminator="type")])


def _receivers(
    *, db_session, sender: str, to_staff: int | None, to_connection: str | None, now
) -> list[str]:
    if not presence.live_connection_ids(db_session=db_session, now=now, ids=[sender]):
        raise RelayRefused(N_("The sending connection is not open."), code="sender_gone")
    if to_staff is not None:
        found = presence.live_connection_ids(db_session=db_session, now=now, staff_id=to_staff)
    else:
        found = presence.live_connection_ids(db_session=db_session, now=now, ids=[to_connection])
    found = [connection_id for connection_id in found if connection_id != sender]
    if not found:
        raise RelayRefused(N_("No receiving connection is open."), code="no_receiver")
    return found


async def open_stream(
    live: LiveServices,
    *,
    sender: str,
    to_staff: int | None = None,
    to_connection: str | None = None,
    kinds: Iterable[int] = (RELAY_DATA,),
    purpose: str = "",
) -> RelayStream:
    """Opens a stream from connection `sender` to every open tab of `to_staff`, or to the
    one connection `to_connection`. The caller has checked that it may; RelayRefused when
    the sender or every receiver has gone."""
    if (to_staff is None) == (to_connection is None):
        raise ValueError("a stream goes to a staff member's tabs or to one connection")
    receivers = await live.run_db(
        _receivers, sender=sender, to_staff=to_staff, to_connection=to_connection, now=live.now()
    )
    stream = RelayStream(
        secrets.randbelow(STREAM_ID_MAX) + 1, sender, tuple(receivers), frozenset(kinds), purpose
    )
    event = _RelayOpen(
        stream_id=stream.id,
        sender=sender,
        receivers=receivers,
        kinds=sorted(stream.kinds),
        purpose=purpose,
    )
    for receiver in receivers:
        await live.publish(connection_channel(receiver), event)
    await live.publish(connection_channel(sender), event)
    return stream


async def close_stream(live: LiveServices, stream: RelayStream) -> None:
    """Receivers first: from the moment each hears it, nothing more of the stream reaches
    its socket; then the sender, whose frames on it are refused from then on."""
    event = _RelayClose(stream_id=stream.id)
    for receiver in stream.receivers:
        await live.publish(connection_channel(receiver), event)
    await live.publish(connection_channel(stream.sender), event)


async def join(live: LiveServices, connection: Connection) -> None:
    """The connection listens on its own channel: the streams' news and frames for it."""
    channel = connection_channel(connection.id)
    await live.attach(connection, channel, partial(_on_own_channel, connection))


async def leave(live: LiveServices, connection: Connection) -> None:
    """The socket is closing: its streams close, and it leaves those it received."""
    for stream in list(connection.streams_out.values()):
        for receiver in stream.receivers:
            await live.publish(connection_channel(receiver), _RelayClose(stream_id=stream.id))
    for stream_id, sender in list(connection.streams_in.items()):
        event = _RelayClose(stream_id=stream_id, receiver=connection.id)
        await live.publish(connection_channel(sender), event)
    connection.streams_out.clear()
    connection.streams_in.clear()


async def _on_own_channel(connection: Connection, _channel: str, message: str | bytes) -> None:
    if isinstance(message, bytes):
        _pass_on(connection, message)
        return
    event = _control.validate_json(message)
    if isinstance(event, _RelayOpen):
        _opened(connection, event)
    else:
        _closed(connection, event)


def _pass_on(connection: Connection, frame: bytes) -> None:
    header = decode_header(frame)  # checked where it came in; this reads 20 bytes
    if header.stream_id not in connection.streams_in:
        return
    if not connection.send_bytes(frame):
        connection.send(RelayDropped(stream_id=header.stream_id, seq=header.seq))


def _opened(connection: Connection, event: _RelayOpen) -> None:
    if event.sender == connection.id:
        connection.streams_out[event.stream_id] = RelayStream(
            event.stream_id,
            event.sender,
            tuple(event.receivers),
            frozenset(event.kinds),
            event.purpose,
        )
        role = "send"
    else:
        connection.streams_in[event.stream_id] = event.sender
        role = "receive"
    connection.send(
        RelayOpened(stream_id=event.stream_id, role=role, kinds=event.kinds, purpose=event.purpose)
    )


def _closed(connection: Connection, event: _RelayClose) -> None:
    stream = connection.streams_out.get(event.stream_id)
    if stream is not None and event.receiver is not None:
        left = tuple(r for r in stream.receivers if r != event.receiver)
        if left:
            connection.streams_out[stream.id] = dataclasses.replace(stream, receivers=left)
            return
    gone = connection.streams_out.pop(event.stream_id, None) or connection.streams_in.pop(
        event.stream_id, None
    )
    if gone is not None:
        connection.send(RelayClosed(stream_id=event.stream_id))


def _sends_on_open_stream(*, session, message: BinaryMessage) -> None:
    stream = session.connection.streams_out.get(message.stream_id)
    if stream is None:
        raise RelayRefused(
            N_(
                "Stream %(stream)s is not open for this connection: binary frames go only on "
                "a stream the server opened for it."
            ),
            stream=message.stream_id,
        )
    if message.header.kind not in stream.kinds:
        raise RelayRefused(
            N_("Stream %(stream)s does not carry %(kind)s frames."),
            code="kind_not_on_stream",
            stream=message.stream_id,
            kind=message.type,
        )


SENDS_ON_OPEN_STREAM = Relation("sends on its open stream", _sends_on_open_stream, on_socket=True)


async def forward(session, message: BinaryMessage) -> None:
    """The frame, as it came, to the stream's receivers (the rule found the stream)."""
    stream = session.connection.streams_out[message.stream_id]
    for receiver in stream.receivers:
        await session.live.publish(connection_channel(receiver), message.data)


DEVICE_BINARY_KINDS = {
    RELAY_DATA: device_binary_kind("relay.data", forward, relation=SENDS_ON_OPEN_STREAM)
}
STAFF_BINARY_KINDS = {
    RELAY_DATA: staff_binary_kind("relay.data", forward, relation=SENDS_ON_OPEN_STREAM)
}
