"""Scroll detection: parts of the picture that moved up or down since the last one, found
so they go out as copies (VNC's CopyRect) and only the newly shown strip as JPEG.

Where tiles changed, each column of tiles gets a signature per pixel row (the sum of its
pixels). A row whose signature occurs once in that column of the last picture and once in
the new one votes for the distance between the two; the distance with most votes is then
checked pixel by pixel, column by column, and every run of rows that matches exactly (at
least `MIN_ROWS` of them) becomes a copy. Only whole rows of a tile column are copied, so
a fixed sidebar or a scroll bar beside the moving text is left to the JPEG rectangles.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from assistant.screen.tiles import as_pixels

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
    rows_changed = np.flatnonzero(grid.any(axis=1))
    columns = np.flatnonzero(grid.sum(axis=0) >= 2)  # columns of tiles with changes in them
    if not len(columns):
        return []
    top, bottom = int(rows_changed[0]) * size, min(int(rows_changed[-1] + 1) * size, height)
    old, new = as_pixels(before), as_pixels(after)
    distance = _likeliest_distance(old[top:bottom], new[top:bottom], columns, size)
    if distance is None:
        return []
    return _matching_runs(old, new, columns, top, bottom, size, distance)


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
    same = new[first:last, left:right] == old[first + distance : last + distance, left:right]
    count = -(-(right - left) // size)
    whole = np.ones((last - first, count), dtype=bool)
    full = (right - left) // size
    whole[:, :full] = same[:, : full * size].reshape(last - first, full, size).all(axis=2)
    if full < count:
        whole[:, full] = same[:, full * size :].all(axis=1)
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


def _consecutive(columns: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for column in sorted(columns):
        if spans and spans[-1][1] == column:
            spans[-1] = (spans[-1][0], column + 1)
        else:
            spans.append((column, column + 1))
    return spans
