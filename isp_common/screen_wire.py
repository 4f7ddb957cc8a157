"""Screen sharing and remote control on the wire: the picture's binary updates and the JSON
frames that pull them and carry input. Both sides import this module; the portal's viewer
script (`screen_view.js`) reads the same layout.

Consent comes first and is the consent domain's (`isp_common.consent_wire`, kinds
`screen_view` and `control`). Once the customer grants a screen view, the server opens a
relay stream (`isp_common.live_wire.RelayOpened`) from the device's socket to the tabs of
the staff member who asked, with `purpose` `screen-view:<consent_id>` and the binary kind
`SCREEN_UPDATE`. The device learns the stream id from that `relay.opened` (role `send`).

Flow control by pulling, as VNC viewers do: the viewer sends `screen.pull` when it has
drawn the last update; the device sends at most one update per pull, when something
changed (at once, the whole picture, when `keyframe` is asked). A slow link therefore
lowers the frame rate instead of building a queue.

    staff tab → server → device  {"type": "screen.pull", "consent_id", "after_frame",
                                  "quality", "keyframe"}
    staff tab → server → device  {"type": "screen.input", "consent_id", "events": [...]}
                                  only while the control consent that belongs to this
                                  view is granted; `consent_id` is the view's
    device → server → staff tab  {"type": "screen.status", "consent_id", "state", ...}

A binary update (`SCREEN_UPDATE`, the payload of an `isp_common.binary_frames` frame whose
sequence number is the frame number) is, big-endian:

    offset  size  field
    0       4     frame number (counts up from 1 per view)
    4       8     captured at: the sender's clock, milliseconds since 1970 (UTC)
    12      2     width of the shared picture in pixels
    14      2     height
    16      2     cursor x, signed; -1 with cursor y -1: the cursor is not on the picture
    18      2     cursor y, signed
    20      1     flags: bit 0 keyframe (the rectangles cover the whole picture)
    21      2     number of rectangles
    23      ...   the rectangles, each a 9-byte head then its data:
                  1 encoding, 2 x, 2 y, 2 width, 2 height
                  JPEG  (1): 4 length, then that many bytes of a baseline JPEG, width x height
                  COPY  (2): 2 source x, 2 source y: the width x height pixels at the
                             source in the picture as it was before this update
                  SOLID (3): 3 bytes red, green, blue

The receiver applies the rectangles in order onto its copy of the picture; the sender
puts every COPY before the first JPEG or SOLID, so a copy reads the previous picture.
A picture of another size than the last one comes as a keyframe.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

# Binary kind of the live channel (`isp_common.binary_frames`) for screen updates.
SCREEN_UPDATE = 16
PURPOSE_PREFIX = "screen-view:"

QUALITY_MIN = 10
QUALITY_MAX = 95
QUALITY_DEFAULT = 70
# The viewer's ceiling for what moves; what then stands still is refined at QUALITY_MAX.
# At 80 a changing terminal costs about 60 % of the bytes it costs at 95 (benchmarks/screen.py).
QUALITY_MOVING_MAX = 80
INPUT_EVENTS_MAX = 200  # per `screen.input` frame
TEXT_MAX_CHARS = 1000  # per text event
SIDE_MAX = 0xFFFF

UPDATE_HEADER = struct.Struct(">IQHHhhBH")
RECT_HEAD = struct.Struct(">BHHHH")
_JPEG_LENGTH = struct.Struct(">I")
_COPY_SOURCE = struct.Struct(">HH")
_SOLID_COLOUR = struct.Struct(">BBB")
FLAG_KEYFRAME = 0x01


def purpose_of(consent_id: str) -> str:
    """The relay stream's `purpose` for the view a consent granted."""
    return PURPOSE_PREFIX + consent_id


def consent_of_purpose(purpose: str) -> str | None:
    """The consent id a relay stream's `purpose` names, or None for another stream."""
    if purpose.startswith(PURPOSE_PREFIX) and len(purpose) > len(PURPOSE_PREFIX):
        return purpose[len(PURPOSE_PREFIX) :]
    return None


class ScreenUpdateError(ValueError):
    """A screen update that is not one: the message says what is wrong with it."""


class Encoding(IntEnum):
    jpeg = 1
    copy = 2
    solid = 3


@dataclass(frozen=True, slots=True)
class Rect:
    """One rectangle of an update. `data` is the JPEG for `jpeg`; `source` the top-left
    corner it is copied from for `copy`; `colour` (r, g, b) for `solid`."""

    encoding: Encoding
    x: int
    y: int
    width: int
    height: int
    data: bytes = b""
    source: tuple[int, int] = (0, 0)
    colour: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True, slots=True)
class ScreenUpdate:
    frame: int
    captured_at_ms: int
    width: int
    height: int
    cursor: tuple[int, int] = (-1, -1)
    keyframe: bool = False
    rects: list[Rect] = field(default_factory=list)


def encode_update(update: ScreenUpdate) -> bytes:
    """The payload of a `SCREEN_UPDATE` binary frame."""
    _check_rects(update)
    flags = FLAG_KEYFRAME if update.keyframe else 0
    parts = [
        UPDATE_HEADER.pack(
            update.frame,
            update.captured_at_ms,
            update.width,
            update.height,
            update.cursor[0],
            update.cursor[1],
            flags,
            len(update.rects),
        )
    ]
    for rect in update.rects:
        parts.append(RECT_HEAD.pack(rect.encoding, rect.x, rect.y, rect.width, rect.height))
        if rect.encoding is Encoding.jpeg:
            parts += [_JPEG_LENGTH.pack(len(rect.data)), rect.data]
        elif rect.encoding is Encoding.copy:
            parts.append(_COPY_SOURCE.pack(*rect.source))
        else:
            parts.append(_SOLID_COLOUR.pack(*rect.colour))
    return b"".join(parts)


def decode_update(payload: bytes) -> ScreenUpdate:
    """A `SCREEN_UPDATE` payload read back; `ScreenUpdateError` says what is wrong."""
    if len(payload) < UPDATE_HEADER.size:
        raise ScreenUpdateError(
            f"A screen update starts with a {UPDATE_HEADER.size}-byte header; "
            f"this one has {len(payload)} bytes."
        )
    frame, captured, width, height, cx, cy, flags, count = UPDATE_HEADER.unpack_from(payload)
    offset = UPDATE_HEADER.size
    rects = []
    for index in range(count):
        rect, offset = _read_rect(payload, offset, index)
        rects.append(rect)
    if offset != len(payload):
        raise ScreenUpdateError(
            f"The screen update has {len(payload) - offset} bytes after its last rectangle."
        )
    update = ScreenUpdate(
        frame, captured, width, height, (cx, cy), bool(flags & FLAG_KEYFRAME), rects
    )
    _check_rects(update)
    return update


def _read_rect(payload: bytes, offset: int, index: int) -> tuple[Rect, int]:
    def need(size: int, what: str) -> None:
        if offset + size > len(payload):
            raise ScreenUpdateError(f"Rectangle {index + 1} is cut short in its {what}.")

    need(RECT_HEAD.size, "head")
    code, x, y, width, height = RECT_HEAD.unpack_from(payload, offset)
    offset += RECT_HEAD.size
    try:
        encoding = Encoding(code)
    except ValueError:
        raise ScreenUpdateError(f"Rectangle {index + 1} has unknown encoding {code}.") from None
    if encoding is Encoding.jpeg:
        need(_JPEG_LENGTH.size, "length")
        (length,) = _JPEG_LENGTH.unpack_from(payload, offset)
        offset += _JPEG_LENGTH.size
        need(length, "JPEG data")
        data = bytes(payload[offset : offset + length])
        return Rect(encoding, x, y, width, height, data=data), offset + length
    if encoding is Encoding.copy:
        need(_COPY_SOURCE.size, "source")
        source = _COPY_SOURCE.unpack_from(payload, offset)
        return Rect(encoding, x, y, width, height, source=source), offset + _COPY_SOURCE.size
    need(_SOLID_COLOUR.size, "colour")
    colour = _SOLID_COLOUR.unpack_from(payload, offset)
    return Rect(encoding, x, y, width, height, colour=colour), offset + _SOLID_COLOUR.size


def _check_rects(update: ScreenUpdate) -> None:
    if not (1 <= update.width <= SIDE_MAX and 1 <= update.height <= SIDE_MAX):
        raise ScreenUpdateError(
            f"A shared picture is 1 to {SIDE_MAX} pixels each way, "
            f"not {update.width}x{update.height}."
        )
    seen_paint = False
    for index, rect in enumerate(update.rects, start=1):
        if rect.width < 1 or rect.height < 1:
            raise ScreenUpdateError(f"Rectangle {index} is empty ({rect.width}x{rect.height}).")
        if rect.x + rect.width > update.width or rect.y + rect.height > update.height:
            raise ScreenUpdateError(
                f"Rectangle {index} ({rect.width}x{rect.height} at {rect.x},{rect.y}) "
                f"reaches outside the {update.width}x{update.height} picture."
            )
        if rect.encoding is Encoding.copy:
            if seen_paint:
                raise ScreenUpdateError(
                    f"Rectangle {index} copies after a painted one; copies come first."
                )
            sx, sy = rect.source
            if sx + rect.width > update.width or sy + rect.height > update.height:
                raise ScreenUpdateError(f"Rectangle {index} copies from outside the picture.")
        else:
            seen_paint = True


# --- JSON frames ---------------------------------------------------------------------


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class ScreenPull(_Wire):
    """The viewer drew frame `after_frame` (0: none yet) and wants the next update, in JPEG
    quality `quality`; `keyframe` asks for the whole picture (a viewer that joined late or
    lost its copy). `refine_quality`: what stood still since it was sent goes out again at
    this quality (`assistant.screen.refine`); None, never."""

    type: Literal["screen.pull"] = "screen.pull"
    consent_id: str = Field(min_length=1, max_length=64)
    after_frame: int = Field(default=0, ge=0)
    quality: int = Field(default=QUALITY_DEFAULT, ge=QUALITY_MIN, le=QUALITY_MAX)
    refine_quality: int | None = Field(default=None, ge=QUALITY_MIN, le=QUALITY_MAX)
    keyframe: bool = False


class MouseButton(StrEnum):
    left = "left"
    middle = "middle"
    right = "right"


class PointerEvent(_Wire):
    """A pointer action at (x, y) in pixels of the shared picture; `wheel` scrolls by
    (dx, dy) notches."""

    kind: Literal["pointer"] = "pointer"
    action: Literal["move", "down", "up", "click", "double_click", "wheel"]
    x: int = Field(ge=0, le=SIDE_MAX)
    y: int = Field(ge=0, le=SIDE_MAX)
    button: MouseButton = MouseButton.left
    dx: int = Field(default=0, ge=-100, le=100)
    dy: int = Field(default=0, ge=-100, le=100)


class KeyEvent(_Wire):
    """Keyboard input. `text`: type `text` as it is (any characters, German ones too).
    `press`: the named `key` ("Enter", "Tab", "a", "F5"...) with `modifiers` held, e.g.
    ctrl+c. `down`/`up`: the key held or let go, for a drag with a modifier."""

    kind: Literal["key"] = "key"
    action: Literal["text", "press", "down", "up"]
    text: str = Field(default="", max_length=TEXT_MAX_CHARS)
    key: str = Field(default="", max_length=32)
    modifiers: list[Literal["ctrl", "alt", "shift", "meta"]] = Field(default=[], max_length=4)


InputEvent = Annotated[PointerEvent | KeyEvent, Field(discriminator="kind")]


class ScreenInput(_Wire):
    """Input from the viewer, to be injected on the customer's computer; the server
    forwards it only while control is granted, the device injects it only then too."""

    type: Literal["screen.input"] = "screen.input"
    consent_id: str = Field(min_length=1, max_length=64)
    events: list[InputEvent] = Field(min_length=1, max_length=INPUT_EVENTS_MAX)
    sent_at_ms: int = 0  # the viewer's clock, for the latency readout


class ShareState(StrEnum):
    sharing = "sharing"  # updates follow on the stream
    paused = "paused"  # the customer hid the picture for a moment
    unavailable = "unavailable"  # this desktop cannot be shared (`reason` says why)
    stopped = "stopped"


class UnavailableReason(StrEnum):
    wayland = "wayland"  # the desktop offers no capture the assistant can use
    no_display = "no_display"
    window_gone = "window_gone"  # the shared window was closed
    capture_failed = "capture_failed"


class ScreenStatus(_Wire):
    """How the sharing stands, from the device; the server passes it to the viewer."""

    type: Literal["screen.status"] = "screen.status"
    consent_id: str = Field(min_length=1, max_length=64)
    state: ShareState
    reason: UnavailableReason | None = None
    width: int = Field(default=0, ge=0, le=SIDE_MAX)
    height: int = Field(default=0, ge=0, le=SIDE_MAX)
    choice: Literal["screen", "window"] | None = None
    control: bool = False  # whether remote control is granted at this moment
