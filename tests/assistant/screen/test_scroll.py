"""Scroll detection: a pane that scrolled goes out as copies, also while small parts of the
screen change elsewhere (a clock, a status line), and on screens whose width is not a
multiple of the tile."""

from __future__ import annotations

import numpy as np

from assistant.screen.encoding import TileJpegEncoder
from assistant.screen.scroll import find_copies
from assistant.screen.tiles import changed_pixels, tiles_of
from isp_common.screen_wire import Encoding, ScreenUpdate, encode_update
from tests.assistant.screen.pictures import screen_with_page, text_page
from tests.assistant.screen.viewer import JPEG_TOLERANCE, Viewer, difference


def with_pane(screen: np.ndarray, page: np.ndarray, offset: int, top: int, bottom: int):
    """The screen with rows [top, bottom) showing the page from row `offset`."""
    picture = screen.copy()
    picture[top:bottom] = page[offset : offset + bottom - top, : screen.shape[1]]
    return picture


def test_a_scrolled_pane_is_found_while_a_clock_ticks_at_the_bottom_and_a_line_at_the_top():
    height, width = 720, 1280
    screen = screen_with_page(text_page(height, width, seed=9), 0, height)
    page = text_page(2000, width, seed=4)
    before = with_pane(screen, page, 0, 160, 560)
    after = with_pane(screen, page, 48, 160, 560)
    after[4:20, 40:400] = text_page(16, 360, seed=5)  # a status line rewritten
    after[700:716, 1180:1260] = text_page(16, 80, seed=6)  # the clock

    grid = tiles_of(changed_pixels(before, after), 32)
    copies = find_copies(before, after, grid, 32)

    assert copies and {copy.distance for copy in copies} == {48}
    # Within the pane's rows of tiles (a copy may run on where the rows match exactly).
    assert all(copy.y >= 128 and copy.y + copy.height <= 576 for copy in copies)
    copied_rows = max(copy.y + copy.height for copy in copies) - min(c.y for c in copies)
    assert copied_rows >= 400 - 48 - 32


def test_a_change_too_short_to_hold_a_copy_is_not_searched():
    # Five lines of a terminal rewritten are no scroll, whatever their rows look like.
    height, width = 720, 1280
    before = screen_with_page(text_page(height, width, seed=9), 0, height)
    after = before.copy()
    after[200:240] = before[230:270]  # 40 rows that do match 30 rows further down
    grid = tiles_of(changed_pixels(before, after), 32)
    assert find_copies(before, after, grid, 32) == []


def test_copies_rebuild_the_page_on_screens_of_any_width_and_tile_size():
    for width, tile in [(1000, 32), (1000, 24), (1366, 32), (1366, 48)]:
        page = text_page(3000, width, seed=width + tile)
        encoder, viewer = TileJpegEncoder(tile=tile), Viewer()
        first = screen_with_page(page, 0, 600)
        rects = encoder.encode(first, quality=70, keyframe=True)
        viewer.apply(encode_update(ScreenUpdate(1, 0, width, 600, keyframe=True, rects=rects)))
        for frame, offset in enumerate([40, 97, 130], start=2):
            picture = screen_with_page(page, offset, 600)
            rects = encoder.encode(picture, quality=70, keyframe=False)
            update = viewer.apply(encode_update(ScreenUpdate(frame, 0, width, 600, rects=rects)))
            assert any(r.encoding is Encoding.copy for r in update.rects), (width, tile)
            assert difference(viewer.picture, picture) < JPEG_TOLERANCE, (width, tile)
