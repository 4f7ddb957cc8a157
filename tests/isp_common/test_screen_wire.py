"""The screen update layout: whatever the sender encodes, the receiver reads back the same,
and a damaged update is refused naming what is wrong, never half-read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_common.screen_wire import (
    Encoding,
    Rect,
    ScreenUpdate,
    ScreenUpdateError,
    consent_of_purpose,
    decode_update,
    encode_update,
    purpose_of,
)

WIDTH, HEIGHT = 1920, 1080


@st.composite
def rects(draw, encoding: Encoding) -> Rect:
    width = draw(st.integers(1, WIDTH))
    height = draw(st.integers(1, HEIGHT))
    x = draw(st.integers(0, WIDTH - width))
    y = draw(st.integers(0, HEIGHT - height))
    if encoding is Encoding.jpeg:
        return Rect(encoding, x, y, width, height, data=draw(st.binary(max_size=64)))
    if encoding is Encoding.copy:
        source = (draw(st.integers(0, WIDTH - width)), draw(st.integers(0, HEIGHT - height)))
        return Rect(encoding, x, y, width, height, source=source)
    colour = tuple(draw(st.integers(0, 255)) for _ in range(3))
    return Rect(encoding, x, y, width, height, colour=colour)


@st.composite
def updates(draw) -> ScreenUpdate:
    copies = draw(st.lists(rects(Encoding.copy), max_size=4))
    painted = draw(st.lists(st.sampled_from([Encoding.jpeg, Encoding.solid]), max_size=6))
    return ScreenUpdate(
        frame=draw(st.integers(1, 2**32 - 1)),
        captured_at_ms=draw(st.integers(0, 2**63)),
        width=WIDTH,
        height=HEIGHT,
        cursor=(draw(st.integers(-1, WIDTH - 1)), draw(st.integers(-1, HEIGHT - 1))),
        keyframe=draw(st.booleans()),
        rects=copies + [draw(rects(encoding)) for encoding in painted],
    )


@given(updates())
def test_an_update_reads_back_as_it_was_sent(update):
    assert decode_update(encode_update(update)) == update


@given(updates(), st.data())
def test_a_cut_update_is_refused_in_words(update, data):
    encoded = encode_update(update)
    cut = data.draw(st.integers(0, len(encoded) - 1))
    with pytest.raises(ScreenUpdateError):
        decode_update(encoded[:cut])


def test_trailing_bytes_are_refused():
    update = ScreenUpdate(1, 0, 10, 10, rects=[Rect(Encoding.solid, 0, 0, 10, 10)])
    with pytest.raises(ScreenUpdateError, match="1 bytes after its last rectangle"):
        decode_update(encode_update(update) + b"x")


def test_a_rectangle_outside_the_picture_is_refused():
    update = ScreenUpdate(1, 0, 10, 10, rects=[Rect(Encoding.solid, 5, 5, 6, 5)])
    with pytest.raises(ScreenUpdateError, match="reaches outside the 10x10 picture"):
        encode_update(update)


def test_a_copy_after_painting_is_refused_because_it_would_read_the_new_picture():
    update = ScreenUpdate(
        1,
        0,
        10,
        10,
        rects=[Rect(Encoding.solid, 0, 0, 2, 2), Rect(Encoding.copy, 0, 0, 2, 2, source=(4, 4))],
    )
    with pytest.raises(ScreenUpdateError, match="copies come first"):
        encode_update(update)


def test_an_unknown_encoding_is_named():
    payload = bytearray(
        encode_update(ScreenUpdate(1, 0, 4, 4, rects=[Rect(Encoding.solid, 0, 0, 1, 1)]))
    )
    payload[23] = 9
    with pytest.raises(ScreenUpdateError, match="unknown encoding 9"):
        decode_update(bytes(payload))


def test_the_stream_purpose_names_the_consent():
    assert consent_of_purpose(purpose_of("c-42")) == "c-42"
    assert consent_of_purpose("payment:7") is None
    assert consent_of_purpose("screen-view:") is None
