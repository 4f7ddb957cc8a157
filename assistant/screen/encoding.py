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
JPEG. A keyframe is the whole picture as one JPEG.

Pictures are numpy arrays (height, width, 4) in BGRA, as the grab gives them; masks are
applied before they get here (`assistant.screen.masks`).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import simplejpeg

from assistant.screen.scroll import find_copies
from assistant.screen.tiles import TileRect, changed_pixels, merge_tiles, tiles_of, trim
from isp_common.binary_frames import PAYLOAD_MAX_BYTES
from isp_common.screen_wire import QUALITY_MIN, RECT_HEAD, UPDATE_HEADER, Encoding, Rect

# Text stays readable with 4:2:0 at the viewer's usual quality, and the JPEGs are about
# 40 % smaller than 4:4:4; the benchmark (benchmarks/screen.py) measures both sides.
SUBSAMPLING = "420"
QUALITY_STEP = 20  # an update over the frame limit is encoded again this much lower
_RECT_OVERHEAD = RECT_HEAD.size + 4


class Encoder(Protocol):
    def encode(self, picture: np.ndarray, *, quality: int, keyframe: bool) -> list[Rect] | None:
        """Rectangles from the last picture to this one; None when nothing changed."""
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

    It keeps the picture it was given as the last one, without a copy (a grab is a new
    array each time): the caller must not change a picture once it was encoded."""

    def __init__(
        self,
        *,
        tile: int = 32,
        bridge: int = 1,
        detect_scrolling: bool = True,
        subsampling: str = SUBSAMPLING,
        max_bytes: int = PAYLOAD_MAX_BYTES - UPDATE_HEADER.size,
    ) -> None:
        self.tile = tile
        self.bridge = bridge
        self.detect_scrolling = detect_scrolling
        self.subsampling = subsampling
        self.max_bytes = max_bytes
        self._last: np.ndarray | None = None

    def reset(self) -> None:
        self._last = None

    def encode(self, picture: np.ndarray, *, quality: int, keyframe: bool) -> list[Rect] | None:
        last = self._last
        if last is not None and last.shape != picture.shape:
            keyframe = True
        if keyframe or last is None:
            rects = self._fitting(
                lambda q: [self._paint(picture, 0, 0, *_size(picture), q)], quality
            )
            self._last = picture
            return rects
        differs = changed_pixels(last, picture)
        grid = tiles_of(differs, self.tile)
        if not grid.any():
            return None
        copies = []
        if self.detect_scrolling:
            copies = find_copies(last, picture, grid, self.tile)
        if copies:  # what still differs once the viewer made the copies
            differs = differs.copy()
            for copy in copies:
                sx, sy = copy.source
                target = (slice(copy.y, copy.y + copy.height), slice(copy.x, copy.x + copy.width))
                differs[target] = changed_pixels(
                    last[sy : sy + copy.height, sx : sx + copy.width], picture[target]
                )
            grid = tiles_of(differs, self.tile)
        copy_rects = [
            Rect(Encoding.copy, c.x, c.y, c.width, c.height, source=c.source) for c in copies
        ]
        areas = [
            trim(differs, *self._pixels_of(tiles, picture))
            for tiles in merge_tiles(grid, self.bridge)
        ]
        areas = [area for area in areas if area is not None]

        def paint(q: int) -> list[Rect]:
            return copy_rects + [self._paint(picture, *area, q) for area in areas]

        rects = self._fitting(paint, quality)
        self._last = picture
        return rects

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

    def _fitting(self, paint, quality: int) -> list[Rect]:
        """The rectangles at `quality`, or lower until they fit into one binary frame."""
        while True:
            rects = paint(quality)
            size = sum(_RECT_OVERHEAD + len(rect.data) for rect in rects)
            if size <= self.max_bytes or quality <= QUALITY_MIN:
                return rects
            quality = max(QUALITY_MIN, quality - QUALITY_STEP)


def _size(picture: np.ndarray) -> tuple[int, int]:
    height, width = picture.shape[:2]
    return width, height
