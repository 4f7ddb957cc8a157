"""Refinement: what moved goes out at the viewer's moving quality, what then stays still is
sent again at its higher refine quality (TurboVNC's "lossless refinement", here lossy at
a high quality).

A screen that changes goes out at the quality the link affords, which blurs small text a
little; the expert reads what stands still. So the encoder keeps, per tile, the JPEG
quality the viewer's copy has there and when the tile last changed (`TileQualities`).
A tile that has been still for `REFINE_AFTER_SECONDS` and is below the refine quality is
due; each update carries at most `REFINE_SHARE` of the picture's tiles of refinement,
top rows first, so one update never grows large and a change waits for no burst. A
terminal whose lines keep changing costs nothing more: its changing tiles are never
still long enough, and the rest is refined once.

Copies (scrolling) carry their source's quality along, so a page that was refined and
then scrolled is not sent again; the strip it shows is new and is refined once it stops.
"""

from __future__ import annotations

import numpy as np

from assistant.screen.scroll import Copy
from assistant.screen.tiles import Area, TileRect, grid_shape

REFINE_AFTER_SECONDS = 1.0
REFINE_SHARE = 1 / 16


class TileQualities:
    """Per tile of the viewer's picture: the JPEG quality it has there (0 for unknown) and
    when the tile last changed (the clock's seconds)."""

    def __init__(self, height: int, width: int, tile: int) -> None:
        self.tile = tile
        shape = grid_shape(height, width, tile)
        self.quality = np.zeros(shape, dtype=np.uint8)
        self.changed_at = np.zeros(shape, dtype=np.float64)

    def fits(self, height: int, width: int) -> bool:
        return self.quality.shape == grid_shape(height, width, self.tile)

    def painted(self, areas: list[Area], quality: int, now: float) -> None:
        """The areas were just painted at `quality`: a tile partly painted keeps the lower
        of its two qualities, so nothing blurred is taken for sharp."""
        for rows, columns in self._tiles_of(areas):
            self.quality[rows, columns] = np.minimum(self.quality[rows, columns], quality)
            self.changed_at[rows, columns] = now

    def refined(self, tiles: TileRect, quality: int) -> None:
        """The tiles were sent whole again at `quality`."""
        self.quality[tiles.row : tiles.row_end, tiles.column : tiles.column_end] = quality

    def copied(self, copies: list[Copy], now: float) -> None:
        """The copies moved content in the viewer's picture: each target tile row gets the
        quality of the tile rows its source rows lie in (the lowest), and of its own where
        the copy covers only part of it. Copies span whole tile columns."""
        before = self.quality.copy()
        last_row = before.shape[0] - 1
        for copy in copies:
            columns = slice(copy.x // self.tile, -(-(copy.x + copy.width) // self.tile))
            for row in range(copy.y // self.tile, -(-(copy.y + copy.height) // self.tile)):
                top = max(row * self.tile, copy.y)
                bottom = min((row + 1) * self.tile, copy.y + copy.height)  # exclusive
                first = min((top + copy.distance) // self.tile, last_row)
                end = min((bottom - 1 + copy.distance) // self.tile, last_row) + 1
                kept = before[first:end, columns].min(axis=0)
                if bottom - top < self.tile:
                    kept = np.minimum(kept, before[row, columns])
                self.quality[row, columns] = kept
                self.changed_at[row, columns] = now

    def due(self, refine_quality: int, now: float) -> np.ndarray | None:
        """The tiles to refine in this update (a grid), None when there are none."""
        waiting = (self.quality < refine_quality) & (now - self.changed_at >= REFINE_AFTER_SECONDS)
        if not waiting.any():
            return None
        limit = max(1, int(waiting.size * REFINE_SHARE))
        chosen = np.zeros_like(waiting)
        flat = np.flatnonzero(waiting)[:limit]  # top rows first: where reading begins
        chosen.flat[flat] = True
        return chosen

    def _tiles_of(self, areas: list[Area]):
        for x, y, width, height in areas:
            yield (
                slice(y // self.tile, -(-(y + height) // self.tile)),
                slice(x // self.tile, -(-(x + width) // self.tile)),
            )
