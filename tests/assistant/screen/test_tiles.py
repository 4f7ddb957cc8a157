"""Changed tiles and the rectangles over them: every changed tile is sent, no pixel twice."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from assistant.screen.tiles import changed_tiles, merge_tiles
from tests.support.hypothesis_budget import examples

grids = st.tuples(st.integers(1, 12), st.integers(1, 16)).flatmap(lambda shape: arrays(bool, shape))


def painted(grid: np.ndarray, bridge: int) -> np.ndarray:
    """How often each tile is covered by the merged rectangles."""
    count = np.zeros(grid.shape, dtype=int)
    for rect in merge_tiles(grid, bridge):
        assert rect.row < rect.row_end and rect.column < rect.column_end
        count[rect.row : rect.row_end, rect.column : rect.column_end] += 1
    return count


@settings(max_examples=examples(300))
@given(grids)
def test_rectangles_cover_exactly_the_changed_tiles_and_never_overlap(grid):
    assert (painted(grid, 0) == grid.astype(int)).all()


@settings(max_examples=examples(300))
@given(grids, st.integers(1, 3))
def test_bridged_rectangles_cover_every_changed_tile_once_and_only_short_gaps_more(grid, bridge):
    count = painted(grid, bridge)
    assert count.max(initial=0) <= 1, "a tile is sent twice"
    assert (count[grid] == 1).all(), "a changed tile is not sent"
    # An unchanged tile is only sent inside a row's run, between changed tiles at most
    # `bridge` apart.
    for row, column in zip(*np.nonzero(count & ~grid), strict=True):
        line = grid[row]
        left = np.flatnonzero(line[:column])
        right = np.flatnonzero(line[column + 1 :])
        assert len(left) and len(right)
        assert (column + 1 + right[0]) - left[-1] - 1 <= bridge


@settings(max_examples=examples(100))
@given(
    st.integers(1, 150),
    st.integers(1, 150),
    st.sampled_from([8, 16, 32]),
    st.lists(st.tuples(st.floats(0, 0.999), st.floats(0, 0.999)), max_size=6),
)
def test_changed_tiles_are_the_tiles_with_a_changed_pixel(height, width, size, points):
    before = np.full((height, width, 4), 200, dtype=np.uint8)
    after = before.copy()
    expected = np.zeros((-(-height // size), -(-width // size)), dtype=bool)
    for fy, fx in points:
        y, x = int(fy * height), int(fx * width)
        after[y, x, 1] = 7
        expected[y // size, x // size] = True
    assert (changed_tiles(before, after, size) == expected).all()
