"""Scroll detection: parts of the picture that moved up or down since the last one, found
so they go out as copies (VNC's CopyRect) and only the newly shown strip as JPEG.

Content that scrolled changed a tall block of tile rows. Only the tallest such block votes
(`_tallest_block`): a clock ticking at the bottom of the screen and a line of text written
near its top, the common case, are two short blocks, and no copy is searched at all when
the tallest is shorter than a copy could be. In the block, each column of tiles gets a
signature per pixel row (the sum of its pixels). A row whose signature occurs once in that
column of the last picture and once in the new one votes for the distance between the
two; the distance with most votes is then checked pixel by pixel, column by column, over
every changed row, and every run of rows that matches exactly (at least `MIN_ROWS` of
them) becomes a copy. Only whole rows of a tile column are copied, so a fixed sidebar or
a scroll bar beside the moving text is left to the JPEG rectangles.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from assistant.screen.tiles import as_pixels, runs

MIN_ROWS = 40  # shorter copies save little, and lines of text match by chance
MIN_VOTES = 32  # rows that agree on a distance before it is checked
MIN_CHANGED_TILES = 6  # fewer changed tiles than this are not worth the search
VOTING_COLUMNS = 8  # tile columns whose rows vote for the distance
_WEIGHTS = np.random.default_rng(0x5C2011).integers(1, 2**31, 256, dtype=np.uint64)
_COLUMN_MIX = 0x9E3779B97F4A7C15


class Copy(NamedTuple):
    """The `width` x `height` pixels at (`x`, `y` + `distance`) of the last picture belong at
    (`x`, `y`) in the new one: `distance` > 0 when the content moved up."""

    x: int
    y: int
    width: int
    height: int
    distance: int

    @property
    def source(self) -> tuple[int, int]:
        return self.x, self.y + self.distance


def find_copies(before: np.ndarray, after: np.ndarray, grid: np.ndarray, size: int) -> list[Copy]:
    """Copies that rebuild parts of `after` from `before`, given the changed tiles."""
    if int(grid.sum()) < MIN_CHANGED_TILES:
        return []
    height = before.shape[0]
    block = _tallest_block(grid.any(axis=1))
    if block[1] * size - block[0] * size < MIN_ROWS + size:  # no copy of MIN_ROWS fits
        return []
    columns = np.flatnonzero(grid[block[0] : block[1]].sum(axis=0) >= 2)
    if not len(columns):
        return []
    old, new = as_pixels(before), as_pixels(after)
    vote_top, vote_bottom = block[0] * size, min(block[1] * size, height)
    distance = _likeliest_distance(
        old[vote_top:vote_bottom], new[vote_top:vote_bottom], columns, size
    )
    if distance is None:
        return []
    rows_changed = np.flatnonzero(grid.any(axis=1))
    top, bottom = int(rows_changed[0]) * size, min(int(rows_changed[-1] + 1) * size, height)
    columns = np.flatnonzero(grid.sum(axis=0) >= 2)
    return _matching_runs(old, new, columns, top, bottom, size, distance)


def _tallest_block(rows_changed: np.ndarray) -> tuple[int, int]:
    """[first, end) of the longest run of changed tile rows, a single unchanged row inside
    bridged (a band of background that scrolled onto background); (0, 0) for none."""
    return max(runs(rows_changed, 1), key=lambda run: run[1] - run[0], default=(0, 0))


def _likeliest_distance(old, new, columns, size) -> int | None:
    # Some columns are enough to find the distance; every column is checked afterwards.
    sampled = columns[
        np.linspace(0, len(columns) - 1, min(len(columns), VOTING_COLUMNS)).astype(int)
    ]
    old_values, old_rows = _unique_rows(_signatures(old, sampled, size))
    new_values, new_rows = _unique_rows(_signatures(new, sampled, size))
    if not len(old_values) or not len(new_values):
        return None
    at = np.searchsorted(old_values, new_values).clip(0, len(old_values) - 1)
    found = old_values[at] == new_values
    distances = old_rows[at[found]] - new_rows[found]
    distances = distances[distances != 0]
    if len(distances) < MIN_VOTES:
        return None
    values, votes = np.unique(distances, return_counts=True)
    best = int(np.argmax(votes))
    return int(values[best]) if votes[best] >= MIN_VOTES else None


def _signatures(pixels: np.ndarray, columns: np.ndarray, size: int) -> np.ndarray:
    """(rows, columns) keys: each row of each tile column weighted by position (a plain
    sum would only count the dark pixels of a line of text) and told apart by column.

    The whole tile columns in one `einsum` (a third of the time of a product and a sum per
    column); the sums wrap around at 64 bits either way, so the keys are the same."""
    height, width = pixels.shape
    keys = np.empty((height, len(columns)), dtype=np.uint64)
    weights = _WEIGHTS[:size]
    whole = width // size
    inside = columns < whole
    if inside.any():
        tiles = pixels[:, : whole * size].reshape(height, whole, size)[:, columns[inside]]
        keys[:, inside] = np.einsum("rcs,s->rc", tiles, weights, dtype=np.uint64)
    for index in np.flatnonzero(~inside).tolist():  # the narrower last column
        strip = pixels[:, int(columns[index]) * size :]
        keys[:, index] = (strip * weights[: strip.shape[1]]).sum(axis=1, dtype=np.uint64)
    mixes = [(column * _COLUMN_MIX) & 0xFFFF_FFFF_FFFF_FFFF for column in columns.tolist()]
    keys ^= np.array(mixes, dtype=np.uint64)
    return keys


def _unique_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys that occur once (sorted) and their rows: a plain background row occurs many
    times and says nothing about where it came from."""
    flat = keys.ravel()
    values, first, counts = np.unique(flat, return_index=True, return_counts=True)
    once = counts == 1
    return values[once], first[once] // keys.shape[1]


def _matching_runs(old, new, columns, top, bottom, size, distance) -> list[Copy]:
    width = old.shape[1]
    first, last = max(top, top - distance), min(bottom, bottom - distance)
    if last - first < MIN_ROWS:
        return []
    left, right = int(columns[0]) * size, min((int(columns[-1]) + 1) * size, width)
    whole = _same_tile_rows(
        new[first:last, left:right], old[first + distance : last + distance, left:right], size
    )
    count = whole.shape[1]
    edges = np.zeros((count, last - first + 2), dtype=np.int8)
    edges[:, 1:-1] = whole.T
    steps = np.diff(edges, axis=1)
    start_columns, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    wanted = set((columns - columns[0]).tolist())
    runs: dict[tuple[int, int], list[int]] = {}  # (y, y_end) -> columns with that run
    for index, start, end in zip(
        start_columns.tolist(), starts.tolist(), ends.tolist(), strict=True
    ):
        if end - start >= MIN_ROWS and index in wanted:
            runs.setdefault((first + start, first + end), []).append(int(columns[0]) + index)
    copies = []
    for (y, y_end), found in sorted(runs.items()):
        for column, column_end in _consecutive(found):
            x = column * size
            copies.append(Copy(x, y, min(column_end * size, width) - x, y_end - y, distance))
    return copies


def _same_tile_rows(new: np.ndarray, old: np.ndarray, size: int) -> np.ndarray:
    """(rows, tile columns): True where the row of a tile column is the same in both parts.

    Two pixels are compared as one 64-bit number, and the answers are read eight at a time
    as one 64-bit word, or-ed per tile: numpy's reduction over the 32 answers of each tile
    (`.all(axis=2)`) took three times as long (1.4 of 2 ms for a scrolled page)."""
    rows, width = new.shape
    full, count = width // size, -(-width // size)
    same = np.empty((rows, count), dtype=bool)
    if size % 16 == 0 and full:
        differs = np.not_equal(
            new[:, : full * size].view(np.uint64), old[:, : full * size].view(np.uint64)
        )
        words = differs.view(np.uint64).reshape(rows, full, size // 16)
        either = words[..., 0].copy()
        for index in range(1, size // 16):
            either |= words[..., index]
        same[:, :full] = either == 0
    else:
        full = 0
    if full < count:
        tail = np.equal(new[:, full * size :], old[:, full * size :])
        same[:, full:] = _tail_columns(tail, size)
    return same


def _tail_columns(same: np.ndarray, size: int) -> np.ndarray:
    rows, width = same.shape
    count = -(-width // size)
    padded = np.ones((rows, count * size), dtype=bool)
    padded[:, :width] = same
    return padded.reshape(rows, count, size).all(axis=2)


def _consecutive(columns: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for column in sorted(columns):
        if spans and spans[-1][1] == column:
            spans[-1] = (spans[-1][0], column + 1)
        else:
            spans.append((column, column + 1))
    return spans
