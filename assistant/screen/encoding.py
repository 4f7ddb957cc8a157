"""Encoders: from the captured picture to the rectangles of a `ScreenUpdate`.

One interface, `Encoder`: `encode(picture, quality=, keyframe=)` gives the rectangles
that turn the viewer's last picture into this one (None when nothing changed and no
keyframe is asked), `reset()` forgets the last picture (the next is a keyframe).

`TileJpegEncoder`, the default: the picture is compared with the last one in tiles of
`tile` pixels (numpy), changed tiles are merged into rectangles, each shrunk to the rows
and columns that changed, and each rectangle goes out as a JPEG (libjpeg-turbo through
simplejpeg) or, when it is one colour (a cleared background, a masked window), as a
SOLID rectangle. Content that moved up or down (a page scrolling) goes out as COPY
rectangles first (`assistant.screen.scroll`), and only what the copies do not rebuild as
JPEG. The viewer pays for every rectangle (a JPEG decoded, the canvas copied onto
itself), so after scrolling the copies of one distance go as one band (`_band`) and the
JPEG areas close together as one (`join_areas`): two rectangles instead of twenty. A
keyframe is the whole picture as one JPEG. What moved goes out at the viewer's quality and,
once it stands still, again at its refine quality, a little at a time
(`assistant.screen.refine`).

Pictures are numpy arrays (height, width, 4) in BGRA, as the grab gives them; masks are
applied before they get here (`assistant.screen.masks`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import numpy as np
import simplejpeg

from assistant.screen.refine import TileQualities
from assistant.screen.scroll import Copy, find_copies
from assistant.screen.tiles import (
    Area,
    TileRect,
    changed_pixels,
    merge_tiles,
    tiles_of,
    trim,
)
from isp_common.binary_frames import PAYLOAD_MAX_BYTES
from isp_common.screen_wire import QUALITY_MIN, RECT_HEAD, UPDATE_HEADER, Encoding, Rect

# Text stays readable with 4:2:0 at the viewer's usual quality, and the JPEGs are about
# 40 % smaller than 4:4:4; the benchmark (benchmarks/screen.py) measures both sides.
SUBSAMPLING = "420"
QUALITY_STEP = 20  # an update over the frame limit is encoded again this much lower
_RECT_OVERHEAD = RECT_HEAD.size + 4
# Copies of one distance become one band when it leaves at most this many more rows of
# its width to paint than they did (`_band`).
BAND_SLACK_ROWS = 4
# After scrolling, JPEG areas are joined while their box adds at most this many pixels,
# or this share of what it covers (`join_areas`); beyond this many areas none are joined.
JOIN_PIXELS = 4096
JOIN_SLACK = 1.0
JOIN_MAX_AREAS = 64


class Encoder(Protocol):
    def encode(
        self,
        picture: np.ndarray,
        *,
        quality: int,
        keyframe: bool,
        refine_quality: int | None = None,
    ) -> list[Rect] | None:
        """Rectangles from the last picture to this one; None when nothing changed.
        `refine_quality`: what has stood still is sent again at that quality (None:
        never)."""
        ...

    def reset(self) -> None:
        """Forget the last picture: the next update is a keyframe."""
        ...


def jpeg(picture: np.ndarray, quality: int, subsampling: str = SUBSAMPLING) -> bytes:
    return simplejpeg.encode_jpeg(
        picture, quality=quality, colorspace="BGRA", colorsubsampling=subsampling, fastdct=True
    )


class TileJpegEncoder:
    """Changed tiles as JPEG, scrolling as copies. Not thread-safe: one per stream.

    It keeps the last picture as a copy of its own, so the caller may reuse or change a
    picture once it was encoded (the grab is mss' shared-memory buffer, overwritten by
    the next grab). After each update only the areas it paints or copies to are copied
    into it (`_keep_changed`); the whole picture for a keyframe. The comparison writes into
    a buffer kept from frame to frame."""

    def __init__(
        self,
        *,
        tile: int = 32,
        bridge: int = 1,
        detect_scrolling: bool = True,
        subsampling: str = SUBSAMPLING,
        max_bytes: int = PAYLOAD_MAX_BYTES - UPDATE_HEADER.size,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tile = tile
        self.bridge = bridge
        self.detect_scrolling = detect_scrolling
        self.subsampling = subsampling
        self.max_bytes = max_bytes
        self._clock = clock
        self._last: np.ndarray | None = None
        self._differs: np.ndarray | None = None  # (height, width) bools, reused
        self._qualities: TileQualities | None = None  # what the viewer's copy has where

    def reset(self) -> None:
        self._last = None

    def encode(
        self,
        picture: np.ndarray,
        *,
        quality: int,
        keyframe: bool,
        refine_quality: int | None = None,
    ) -> list[Rect] | None:
        last, now = self._last, self._clock()
        if last is not None and last.shape != picture.shape:
            keyframe = True
        if keyframe or last is None:
            width, height = _size(picture)
            rects, painted_at = self._fitting(
                lambda q: [self._paint(picture, 0, 0, width, height, q)], quality
            )
            self._keep(picture)
            self._qualities = TileQualities(height, width, self.tile)
            self._qualities.painted([(0, 0, width, height)], painted_at, now)
            return rects
        differs = changed_pixels(last, picture, out=self._differs)
        grid = tiles_of(differs, self.tile)
        if not grid.any():
            return self._refining(picture, [], refine_quality, now) or None
        copies = []
        if self.detect_scrolling:
            copies = find_copies(last, picture, grid, self.tile)
        if copies:  # what still differs once the viewer made the copies
            copies, differs = _after_copies(last, picture, differs, copies)
            grid = tiles_of(differs, self.tile)
        copy_rects = [
            Rect(Encoding.copy, c.x, c.y, c.width, c.height, source=c.source) for c in copies
        ]
        areas = [
            trim(differs, *self._pixels_of(tiles, picture))
            for tiles in merge_tiles(grid, self.bridge)
        ]
        areas = [area for area in areas if area is not None]
        if copies:  # the strip the scrolling showed: one JPEG, not one per run of tiles
            areas = join_areas(areas)

        def paint(q: int) -> list[Rect]:
            return copy_rects + [self._paint(picture, *area, q) for area in areas]

        rects, painted_at = self._fitting(paint, quality)
        self._keep_changed(picture, areas + [(c.x, c.y, c.width, c.height) for c in copies])
        self._qualities.copied(copies, now)
        self._qualities.painted(areas, painted_at, now)
        return self._refining(picture, rects, refine_quality, now)

    def _refining(
        self, picture: np.ndarray, rects: list[Rect], refine_quality: int | None, now: float
    ) -> list[Rect]:
        """`rects` and after them what is due for refinement (`assistant.screen.refine`),
        as much of it as still fits into the frame; the rest waits for the next update."""
        due = None if refine_quality is None else self._qualities.due(refine_quality, now)
        if due is None:
            return rects
        room = self.max_bytes - _bytes(rects)
        refined = []
        for tiles in sorted(merge_tiles(due), key=lambda t: (t.row, t.column)):
            rect = self._paint(picture, *self._pixels_of(tiles, picture), refine_quality)
            room -= _bytes([rect])
            if room < 0:
                break
            refined.append(rect)
            self._qualities.refined(tiles, refine_quality)
        return rects + refined

    def _keep(self, picture: np.ndarray) -> None:
        """A copy of the whole picture as the last one (a keyframe, a new size)."""
        if self._last is None or self._last.shape != picture.shape:
            self._last = np.empty_like(picture)
            self._differs = np.empty(picture.shape[:2], dtype=bool)
        np.copyto(self._last, picture)

    def _keep_changed(self, picture: np.ndarray, areas: list[Area]) -> None:
        """The areas the update paints or copies to, copied from the picture into the
        last one: every pixel that changed lies in one of them, so the last picture is
        the picture again. When they cover more than a quarter of it (scrolling), the
        whole picture in one copy instead: piece by piece, the grab's shared memory is
        read several times slower than in one run (4.4 ms for a scrolled page in rows of
        tiles, 0.9 ms for the whole picture, 1920x1080 on Xvfb)."""
        height, width = picture.shape[:2]
        if sum(w * h for _, _, w, h in areas) * 4 > height * width:
            np.copyto(self._last, picture)
            return
        for x, y, w, h in areas:
            self._last[y : y + h, x : x + w] = picture[y : y + h, x : x + w]

    def _pixels_of(self, tiles: TileRect, picture: np.ndarray) -> tuple[int, int, int, int]:
        height, width = picture.shape[:2]
        x, y = tiles.column * self.tile, tiles.row * self.tile
        return (
            x,
            y,
            min(tiles.column_end * self.tile, width) - x,
            min(tiles.row_end * self.tile, height) - y,
        )

    def _paint(self, picture: np.ndarray, x: int, y: int, width: int, height: int, quality: int):
        part = picture[y : y + height, x : x + width]
        pixels = part.view(np.uint32)[..., 0]  # one number per pixel, also for a part
        if (pixels == pixels[0, 0]).all():
            b, g, r = part[0, 0, :3].tolist()
            return Rect(Encoding.solid, x, y, width, height, colour=(r, g, b))
        return Rect(Encoding.jpeg, x, y, width, height, data=jpeg(part, quality, self.subsampling))

    def _fitting(self, paint, quality: int) -> tuple[list[Rect], int]:
        """The rectangles at `quality`, or lower until they fit into one binary frame, and
        the quality they were painted at."""
        while True:
            rects = paint(quality)
            if _bytes(rects) <= self.max_bytes or quality <= QUALITY_MIN:
                return rects, quality
            quality = max(QUALITY_MIN, quality - QUALITY_STEP)


def _bytes(rects: list[Rect]) -> int:
    return sum(_RECT_OVERHEAD + len(rect.data) for rect in rects)


def _after_copies(last, picture, differs, copies: list[Copy]) -> tuple[list[Copy], np.ndarray]:
    """`differs` once the viewer made the copies: what the JPEGs must still paint. Copies
    of one distance go out as one band where that leaves hardly more to paint
    (`_band`)."""
    differs = differs.copy()
    by_distance: dict[int, list[Copy]] = {}
    for copy in copies:
        by_distance.setdefault(copy.distance, []).append(copy)
    done: list[Copy] = []
    for group in by_distance.values():
        band = _band(last, picture, differs, group, copies) if len(group) > 1 else None
        if band is not None:
            done.append(band)
            continue
        for copy in group:
            sx, sy = copy.source
            target = (slice(copy.y, copy.y + copy.height), slice(copy.x, copy.x + copy.width))
            differs[target] = changed_pixels(
                last[sy : sy + copy.height, sx : sx + copy.width], picture[target]
            )
        done += group
    return sorted(done, key=lambda c: (c.y, c.x)), differs


def _band(last, picture, differs, group: list[Copy], copies: list[Copy]) -> Copy | None:
    """The copies of one distance as one copy, the box around them, when the box leaves at
    most `BAND_SLACK_ROWS` rows of its width more to paint than the copies did; `differs`
    is then set to what the band leaves (None: `differs` as it was).

    A scrolled page comes as one copy per run of tile columns whose rows matched over the
    same height (a line of text ending a pixel higher in one column splits the runs); the
    viewer pays for each copy about as much as for the band (a copy of the canvas onto
    itself), so one band instead of twenty. What the band copies wrongly (a fixed part
    between the copied columns) still differs and goes out as JPEG; the slack keeps such
    bands out when that part is large. Inside the copies the band leaves the same to
    paint, so only the rest of the box is counted."""
    distance = group[0].distance
    left, top = min(c.x for c in group), min(c.y for c in group)
    right = max(c.x + c.width for c in group)
    bottom = max(c.y + c.height for c in group)
    band = Copy(left, top, right - left, bottom - top, distance)
    if any(c.distance != distance and _overlap(band, c) for c in copies):
        return None
    target = (slice(top, bottom), slice(left, right))
    source = (slice(top + distance, bottom + distance), slice(left, right))
    remaining = changed_pixels(last[source], picture[target])
    before, after = np.count_nonzero(differs[target]), np.count_nonzero(remaining)
    for copy in group:  # the copies do not overlap: counted once each
        y, x = copy.y - top, copy.x - left
        inside = (slice(y, y + copy.height), slice(x, x + copy.width))
        before -= np.count_nonzero(differs[target][inside])
        after -= np.count_nonzero(remaining[inside])
    if after > before + BAND_SLACK_ROWS * band.width:
        return None
    differs[target] = remaining
    return band


def _overlap(one: Copy, other: Copy) -> bool:
    return (
        one.x < other.x + other.width
        and other.x < one.x + one.width
        and one.y < other.y + other.height
        and other.y < one.y + one.height
    )


def join_areas(
    areas: list[Area], *, slack: float = JOIN_SLACK, pixels: int = JOIN_PIXELS
) -> list[Area]:
    """Areas joined into their box while the box adds little to paint: at most `pixels`
    or `slack` times the area it covers. Each JPEG costs the viewer a decode and a draw
    and some hundred bytes of tables, so the thin slivers and the strips of one scrolled-in
    band become one picture. A box swallows every area it touches, so the areas never
    overlap. Neighbours from the top down are tried first."""
    areas = sorted(areas, key=lambda a: (a[1], a[0]))
    if len(areas) > JOIN_MAX_AREAS:
        return areas
    i = 0
    while i < len(areas):
        for j in range(i + 1, len(areas)):
            joined = _joined(areas, i, j, slack, pixels)
            if joined is not None:
                areas = joined
                break
        else:
            i += 1
    return areas


def _joined(areas: list[Area], i: int, j: int, slack: float, pixels: int):
    """`areas` with i and j joined into their box (and what it swallows), or None when the
    box adds too much."""
    box = _box(areas[i], areas[j])
    inside = [i, j]
    while True:  # the box grows with what it swallows
        grown = [k for k, area in enumerate(areas) if _touches(box, area)]
        if len(grown) == len(inside):
            break
        inside = grown
        box = _box(*(areas[k] for k in inside))
    covered = sum(areas[k][2] * areas[k][3] for k in inside)
    if box[2] * box[3] - covered > max(pixels, slack * covered):
        return None
    rest = [area for k, area in enumerate(areas) if k not in inside]
    return sorted([*rest, box], key=lambda a: (a[1], a[0]))


def _box(*areas: Area) -> Area:
    left, top = min(a[0] for a in areas), min(a[1] for a in areas)
    right = max(a[0] + a[2] for a in areas)
    bottom = max(a[1] + a[3] for a in areas)
    return left, top, right - left, bottom - top


def _touches(box: Area, area: Area) -> bool:
    return (
        area[0] < box[0] + box[2]
        and box[0] < area[0] + area[2]
        and area[1] < box[1] + box[3]
        and box[1] < area[1] + area[3]
    )


def _size(picture: np.ndarray) -> tuple[int, int]:
    height, width = picture.shape[:2]
    return width, height
