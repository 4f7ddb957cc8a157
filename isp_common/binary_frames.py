"""Binary frames of the live channel (screen frames and other large data), and their codec.

A binary WebSocket message is a fixed header of 20 bytes and then the payload:

    offset  size  field
    0       1     magic and version: 0xB1 (high half 0xB, low half the version, 1)
    1       1     kind: what the payload is (1-255), registered per domain on the server
    2       2     flags: none defined in version 1, so 0
    4       4     stream id (1-4294967295): the relay stream the server opened for it
    8       8     sequence number, chosen by the sender, usually counting up per stream
    16      4     payload length in bytes (the rest of the message)
    20      ...   payload

Numbers are big-endian. The server routes and authorises a frame by its header alone and
forwards the message unchanged; only the receiver reads the payload. A message is at most
`FRAME_MAX_BYTES` (header included). The first byte is never `{` (0x7B), nor any byte a
UTF-8 text can start with, so a binary frame cannot be mistaken for a JSON one.

    data = encode(BinaryFrame(kind=1, stream_id=7, seq=0, payload=b"..."))
    header = decode_header(data)      # the server: no payload read, nothing copied
    frame = decode(data)              # the receiver

Both raise `BinaryFrameError` (code `invalid_frame`, or `frame_too_large`) saying what is
wrong with the frame.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

VERSION = 1
MAGIC = 0xB0
MAGIC_MASK = 0xF0
HEADER = struct.Struct(">BBHIQI")
HEADER_BYTES = HEADER.size  # 20
FRAME_MAX_BYTES = 1024 * 1024
PAYLOAD_MAX_BYTES = FRAME_MAX_BYTES - HEADER_BYTES
KIND_MAX = 0xFF
STREAM_ID_MAX = 0xFFFF_FFFF
SEQ_MAX = 0xFFFF_FFFF_FFFF_FFFF
_STREAM_ID = struct.Struct(">I")
_STREAM_ID_OFFSET = 4


class BinaryFrameError(ValueError):
    """A binary frame that is not one: the message says what is wrong with it."""

    code = "invalid_frame"


class FrameTooLarge(BinaryFrameError):
    code = "frame_too_large"


@dataclass(frozen=True, slots=True)
class FrameHeader:
    kind: int
    stream_id: int
    seq: int
    payload_length: int


@dataclass(frozen=True, slots=True)
class BinaryFrame:
    kind: int
    stream_id: int
    seq: int
    payload: bytes


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not isinstance(value, int) or not low <= value <= high:
        raise BinaryFrameError(f"The {name} must be a whole number from {low} to {high}: {value!r}")


def encode(frame: BinaryFrame) -> bytes:
    _check_range("kind", frame.kind, 1, KIND_MAX)
    _check_range("stream id", frame.stream_id, 1, STREAM_ID_MAX)
    _check_range("sequence number", frame.seq, 0, SEQ_MAX)
    if len(frame.payload) > PAYLOAD_MAX_BYTES:
        raise FrameTooLarge(
            f"A binary frame carries at most {PAYLOAD_MAX_BYTES} bytes of payload; "
            f"this one has {len(frame.payload)}."
        )
    magic = MAGIC | VERSION
    header = HEADER.pack(magic, frame.kind, 0, frame.stream_id, frame.seq, len(frame.payload))
    return header + frame.payload


def decode_header(data: bytes) -> FrameHeader:
    """The header of a whole binary message, checked against the message."""
    if len(data) > FRAME_MAX_BYTES:
        raise FrameTooLarge(
            f"A binary frame is at most {FRAME_MAX_BYTES} bytes; this one has {len(data)}."
        )
    if len(data) < HEADER_BYTES:
        raise BinaryFrameError(
            f"A binary frame starts with a {HEADER_BYTES}-byte header; "
            f"this one has only {len(data)} bytes."
        )
    magic, kind, flags, stream_id, seq, length = HEADER.unpack_from(data)
    if magic & MAGIC_MASK != MAGIC:
        raise BinaryFrameError(
            f"Not a binary frame of the live channel: it starts with 0x{magic:02X}, "
            f"not 0x{MAGIC | VERSION:02X}."
        )
    if magic & ~MAGIC_MASK != VERSION:
        raise BinaryFrameError(
            f"Binary frame version {magic & ~MAGIC_MASK} is not understood; "
            f"this side speaks version {VERSION}."
        )
    if flags:
        raise BinaryFrameError(f"Flags 0x{flags:04X} are not defined in version {VERSION}.")
    if kind == 0:
        raise BinaryFrameError("Kind 0 is not a kind of binary frame.")
    if stream_id == 0:
        raise BinaryFrameError("Stream id 0 is no stream.")
    if length != len(data) - HEADER_BYTES:
        raise BinaryFrameError(
            f"The header announces {length} bytes of payload, "
            f"but the frame carries {len(data) - HEADER_BYTES}."
        )
    return FrameHeader(kind, stream_id, seq, length)


def decode(data: bytes) -> BinaryFrame:
    header = decode_header(data)
    return BinaryFrame(header.kind, header.stream_id, header.seq, bytes(data[HEADER_BYTES:]))


def stream_id_of(data: bytes) -> int:
    """The stream id of a frame already checked by `decode_header`."""
    return _STREAM_ID.unpack_from(data, _STREAM_ID_OFFSET)[0]
