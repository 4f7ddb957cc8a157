"""Which tiles of the picture changed, and the rectangles that cover them.

A picture is a numpy array of shape (height, width, 4), BGRA as the grab gives it; it is
compared as 32-bit pixels. Tiles are `size` x `size` pixels from the top-left corner; the
last row and column of tiles may be smaller. The grid is a boolean array (tile rows,
tile columns), True where any pixel of the tile differs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

Area = tuple[int, int, int, int]  # x, y, width, height of a rectangle of the picture


class TileRect(NamedTuple):
    """Tiles [row, row_end) x [column, column_end)."""

    row: int
    column: int
    row_end: int
    column_end: int


def as_pixels(picture: np.ndarray) -> np.ndarray:
    """The picture as one 32-bit number per pixel (a view, nothing copied)."""
    height, width = picture.shape[:2]
    return picture.view(np.uint32).reshape(height, width)


def grid_shape(height: int, width: int, size: int) -> tuple[int, int]:
    return -(-height // size), -(-width // size)


def changed_tiles(before: np.ndarray, after: np.ndarray, size: int) -> np.ndarray:
    """The grid of tiles where `after` differs from `before` (pictures of one size)."""
    return tiles_of(changed_pixels(before, after), size)


def changed_pixels(
    before: np.ndarray, after: np.ndarray, out: np.ndarray | None = None
) -> np.ndarray:
    """(height, width) booleans, True where the pixel differs (pictures or parts of them);
    written into `out` when given (the encoder keeps one from frame to frame rather than
    a fresh 2 MB array each frame)."""
    return np.not_equal(before.view(np.uint32)[..., 0], after.view(np.uint32)[..., 0], out=out)


def tiles_of(differs: np.ndarray, size: int) -> np.ndarray:
    """The grid of tiles with a True pixel in `differs`.

    Rows of pixels are looked at first, so only bands with a change are looked at tile by
    tile: a small change costs little more than one comparison of the pictures."""
    height, width = differs.shape
    rows, columns = grid_shape(height, width, size)
    changed_rows = np.zeros(rows * size, dtype=bool)
    changed_rows[:height] = differs.any(axis=1)
    grid = np.zeros((rows, columns), dtype=bool)
    padding = columns * size - width
    for row in np.flatnonzero(changed_rows.reshape(rows, size).any(axis=1)).tolist():
        changed_columns = differs[row * size : (row + 1) * size].any(axis=0)
        if padding:
            changed_columns = np.concatenate([changed_columns, np.zeros(padding, dtype=bool)])
        grid[row] = changed_columns.reshape(columns, size).any(axis=1)
    return grid


def trim(differs: np.ndarray, x: int, y: int, width: int, height: int):
    """The rectangle shrunk to the rows and columns with a change in it (a line of text
    18 pixels high needs no tile row of 32); None when nothing in it changed."""
    part = differs[y : y + height, x : x + width]
    rows = np.flatnonzero(part.any(axis=1))
    if not len(rows):
        return None
    columns = np.flatnonzero(part[rows[0] : rows[-1] + 1].any(axis=0))
    top, left = int(rows[0]), int(columns[0])
    return x + left, y + top, int(columns[-1]) + 1 - left, int(rows[-1]) + 1 - top


def merge_tiles(grid: np.ndarray, bridge: int = 0) -> list[TileRect]:
    """Rectangles of tiles that cover every True tile of `grid` and never overlap.

    Each row's runs of changed tiles (gaps of up to `bridge` unchanged tiles joined into
    the run: one JPEG costs some hundred bytes of tables, an unchanged tile inside one
    costs almost nothing) become rectangles, and a run with the same columns in the row
    below extends the rectangle downwards. With `bridge` 0 the rectangles cover exactly
    the changed tiles."""
    open_rects: dict[tuple[int, int], int] = {}  # (column, column_end) -> first row
    found: list[TileRect] = []
    rows = grid.shape[0]
    changed = grid.any(axis=1).tolist() + [False]
    for row in range(rows + 1):
        if not changed[row] and not open_rects:
            continue
        runs_here = set(runs(grid[row], bridge)) if changed[row] else set()
        for span in list(open_rects):
            if span not in runs_here:
                found.append(TileRect(open_rects.pop(span), span[0], row, span[1]))
        for span in runs_here:
            open_rects.setdefault(span, row)
    return found


def runs(line: np.ndarray, bridge: int) -> list[tuple[int, int]]:
    """[start, end) of the runs of True in `line`, runs at most `bridge` apart joined."""
    if not line.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[False], line, [False]]).astype(np.int8)))
    starts, ends = edges[0::2].tolist(), edges[1::2].tolist()
    found = [(starts[0], ends[0])]
    for start, end in zip(starts[1:], ends[1:], strict=True):
        if start - found[-1][1] <= bridge:
            found[-1] = (found[-1][0], end)
        else:
            found.append((start, end))
    return found
