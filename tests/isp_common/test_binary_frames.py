"""The binary frame codec both sides share: whatever is encoded decodes to the same frame,
and any message that is not a well-formed frame is refused with an error that says what is
wrong, never with another exception and never as some other frame."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_common.binary_frames import (
    FRAME_MAX_BYTES,
    HEADER_BYTES,
    KIND_MAX,
    PAYLOAD_MAX_BYTES,
    SEQ_MAX,
    STREAM_ID_MAX,
    BinaryFrame,
    BinaryFrameError,
    FrameTooLarge,
    decode,
    decode_header,
    encode,
    stream_id_of,
)

frames = st.builds(
    BinaryFrame,
    kind=st.integers(1, KIND_MAX),
    stream_id=st.integers(1, STREAM_ID_MAX),
    seq=st.integers(0, SEQ_MAX),
    payload=st.binary(max_size=4096),
)


@given(frames)
def test_a_frame_decodes_to_what_was_encoded(frame):
    data = encode(frame)
    assert decode(data) == frame
    header = decode_header(data)
    assert (header.kind, header.stream_id, header.seq, header.payload_length) == (
        frame.kind,
        frame.stream_id,
        frame.seq,
        len(frame.payload),
    )
    assert stream_id_of(data) == frame.stream_id
    assert len(data) == HEADER_BYTES + len(frame.payload)


@given(st.binary(max_size=64))
def test_any_bytes_are_a_frame_that_encodes_back_to_them_or_are_refused(data):
    try:
        frame = decode(data)
    except BinaryFrameError as error:
        assert str(error)
        return
    assert encode(frame) == data


@given(frames, st.data())
def test_a_changed_header_byte_is_refused_or_read_as_exactly_that_change(frame, data):
    """A receiver never reads a damaged header as the original frame's: each byte is a
    field, so a change is refused or shows in that field."""
    encoded = bytearray(encode(frame))
    position = data.draw(st.integers(0, HEADER_BYTES - 1))
    encoded[position] ^= data.draw(st.integers(1, 255))
    try:
        damaged = decode(bytes(encoded))
    except BinaryFrameError:
        return
    assert damaged != frame


def header(magic=0xB1, kind=1, flags=0, stream_id=7, seq=0, length=0) -> bytes:
    return struct.pack(">BBHIQI", magic, kind, flags, stream_id, seq, length)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "20-byte header; this one has only 0 bytes"),
        (header()[:19], "20-byte header; this one has only 19 bytes"),
        (b'{"type": "ping"}', "only 16 bytes"),
        (b'{"type": "ping", "padding": 1}', "starts with 0x7B, not 0xB1"),
        (header(magic=0x01), "starts with 0x01, not 0xB1"),
        (header(magic=0xB2), "version 2 is not understood; this side speaks version 1"),
        (header(flags=3), "Flags 0x0003 are not defined"),
        (header(kind=0), "Kind 0 is not a kind"),
        (header(stream_id=0), "Stream id 0 is no stream"),
        (header(length=5) + b"abc", "announces 5 bytes of payload, but the frame carries 3"),
        (header(length=1) + b"abc", "announces 1 bytes of payload, but the frame carries 3"),
    ],
)
def test_a_malformed_frame_is_refused_saying_what_is_wrong(data, says):
    with pytest.raises(BinaryFrameError, match=says) as refused:
        decode(data)
    assert refused.value.code == "invalid_frame"


def test_an_oversized_frame_is_refused_with_its_size():
    data = header(length=FRAME_MAX_BYTES - HEADER_BYTES + 1) + bytes(PAYLOAD_MAX_BYTES + 1)
    with pytest.raises(FrameTooLarge, match=f"at most {FRAME_MAX_BYTES} bytes; this one has"):
        decode_header(data)
    assert FrameTooLarge.code == "frame_too_large"
    assert len(encode(BinaryFrame(1, 1, 0, bytes(PAYLOAD_MAX_BYTES)))) == FRAME_MAX_BYTES


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        (BinaryFrame(0, 1, 0, b""), "kind must be a whole number from 1 to 255: 0"),
        (BinaryFrame(256, 1, 0, b""), "kind must be a whole number from 1 to 255: 256"),
        (BinaryFrame(1, 0, 0, b""), "stream id must be a whole number from 1"),
        (BinaryFrame(1, 2**32, 0, b""), "stream id must be a whole number from 1"),
        (BinaryFrame(1, 1, -1, b""), "sequence number must be a whole number from 0"),
        (BinaryFrame(1, 1, 2**64, b""), "sequence number must be a whole number from 0"),
        (BinaryFrame(1, 1, 0, bytes(PAYLOAD_MAX_BYTES + 1)), "at most 1048556 bytes of payload"),
    ],
)
def test_a_frame_that_cannot_be_sent_is_refused_before_it_is_encoded(frame, says):
    with pytest.raises(BinaryFrameError, match=says):
        encode(frame)
