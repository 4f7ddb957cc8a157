"""The default encoder: what the viewer rebuilds from the updates is the captured picture
(within JPEG's loss), only changed parts are sent, and scrolling goes out as a copy."""

from __future__ import annotations

import numpy as np

from assistant.screen.encoding import TileJpegEncoder, join_areas
from isp_common.screen_wire import Encoding, ScreenUpdate, encode_update
from tests.assistant.screen.pictures import screen_with_page, text_page
from tests.assistant.screen.viewer import JPEG_TOLERANCE, Viewer, difference

HEIGHT, WIDTH = 720, 1280


def send(encoder, viewer, picture, frame, keyframe=False, quality=70):
    rects = encoder.encode(picture, quality=quality, keyframe=keyframe)
    if rects is None:
        return None, 0
    height, width = picture.shape[:2]
    update = ScreenUpdate(frame, 0, width, height, keyframe=keyframe, rects=rects)
    payload = encode_update(update)
    viewer.apply(payload)
    return update, len(payload)


def test_the_viewer_rebuilds_each_picture_from_the_updates():
    page = text_page(3000, WIDTH)
    encoder, viewer = TileJpegEncoder(), Viewer()
    first = screen_with_page(page, 0, HEIGHT)
    update, _ = send(encoder, viewer, first, 1, keyframe=True)
    assert update.keyframe and [r.encoding for r in update.rects] == [Encoding.jpeg]
    assert difference(viewer.picture, first) < JPEG_TOLERANCE

    picture = first.copy()
    for frame in range(2, 8):  # a few lines of a terminal change, a dialog opens
        picture = picture.copy()
        picture[200 + frame * 20 : 216 + frame * 20, 100:900] = text_page(16, 800, frame)
        if frame == 5:
            picture[300:500, 400:800] = (240, 240, 240, 255)
        update, size = send(encoder, viewer, picture, frame)
        assert not update.keyframe
        assert difference(viewer.picture, picture) < JPEG_TOLERANCE
        assert size < 40_000
    # The measure tells pictures apart: the same page a line further down is far off.
    assert difference(viewer.picture, screen_with_page(page, 20, HEIGHT)) > 5 * JPEG_TOLERANCE


def test_a_plain_area_goes_out_as_one_solid_rectangle():
    encoder, viewer = TileJpegEncoder(), Viewer()
    picture = text_page(HEIGHT, WIDTH)
    send(encoder, viewer, picture, 1, keyframe=True)
    blanked = picture.copy()
    blanked[64:256, 128:512] = (0, 0, 0, 255)  # tile-aligned: a masked window
    update, size = send(encoder, viewer, blanked, 2)
    assert [(r.encoding, r.x, r.y, r.width, r.height, r.colour) for r in update.rects] == [
        (Encoding.solid, 128, 64, 384, 192, (0, 0, 0))
    ]
    assert (viewer.picture[64:256, 128:512] == 0).all()
    assert size < 100


def test_nothing_changed_sends_nothing_and_a_keyframe_is_sent_when_asked():
    encoder, viewer = TileJpegEncoder(), Viewer()
    picture = text_page(HEIGHT, WIDTH)
    send(encoder, viewer, picture, 1, keyframe=True)
    assert encoder.encode(picture.copy(), quality=70, keyframe=False) is None
    update, _ = send(encoder, viewer, picture, 2, keyframe=True)
    assert update.keyframe and update.rects[0].width == WIDTH


def test_a_picture_of_another_size_comes_as_a_keyframe():
    encoder = TileJpegEncoder()
    encoder.encode(text_page(HEIGHT, WIDTH), quality=70, keyframe=True)
    rects = encoder.encode(text_page(400, 500), quality=70, keyframe=False)
    assert [(r.encoding, r.width, r.height) for r in rects] == [(Encoding.jpeg, 500, 400)]


def test_scrolling_is_sent_as_a_copy_and_far_fewer_bytes():
    page = text_page(3000, WIDTH)
    plain = TileJpegEncoder(detect_scrolling=False)
    scrolling, viewer = TileJpegEncoder(), Viewer()
    first = screen_with_page(page, 0, HEIGHT)
    plain.encode(first, quality=70, keyframe=True)
    send(scrolling, viewer, first, 1, keyframe=True)
    copied = without = 0
    for frame, offset in enumerate(range(40, 400, 40), start=2):
        picture = screen_with_page(page, offset, HEIGHT)
        update, size = send(scrolling, viewer, picture, frame)
        copies = [r for r in update.rects if r.encoding is Encoding.copy]
        assert copies, "the scrolled page is copied"
        assert all(r.source[1] - r.y == 40 for r in copies)
        assert difference(viewer.picture, picture) < JPEG_TOLERANCE
        copied += size
        rects = plain.encode(picture, quality=70, keyframe=False)
        without += sum(len(r.data) for r in rects)
    assert copied * 4 < without, (copied, without)


def test_scrolling_down_and_up_both_rebuild_the_page():
    page = text_page(3000, WIDTH)
    encoder, viewer = TileJpegEncoder(), Viewer()
    send(encoder, viewer, screen_with_page(page, 600, HEIGHT), 1, keyframe=True)
    for frame, offset in enumerate([560, 500, 530, 700, 400], start=2):
        picture = screen_with_page(page, offset, HEIGHT)
        update, _ = send(encoder, viewer, picture, frame)
        assert update.rects[0].encoding is Encoding.copy
        assert difference(viewer.picture, picture) < JPEG_TOLERANCE


def test_a_scrolled_page_is_one_copy_and_the_strip_it_shows_one_jpeg():
    # The viewer pays per rectangle: the copies of one distance go as one band, and the
    # slivers and strips the copies leave as few JPEGs as possible.
    page = text_page(3000, WIDTH)
    encoder, viewer = TileJpegEncoder(), Viewer()
    send(encoder, viewer, screen_with_page(page, 0, HEIGHT), 1, keyframe=True)
    for frame, offset in enumerate([40, 83, 123, 100], start=2):
        picture = screen_with_page(page, offset, HEIGHT)
        update, _ = send(encoder, viewer, picture, frame)
        copies = [r for r in update.rects if r.encoding is Encoding.copy]
        assert len(copies) == 1, update.rects
        assert len(update.rects) <= 3, update.rects  # the band, the strip, the scroll bar
        assert difference(viewer.picture, picture) < JPEG_TOLERANCE


def test_a_fixed_column_between_scrolled_ones_is_not_copied_over():
    page = text_page(3000, WIDTH)
    fixed = text_page(HEIGHT - 80, 200, 9)[:, 40:104]  # dense text that stays put

    def panes(offset):
        screen = screen_with_page(page, offset, HEIGHT)
        screen[80:, 608:672] = fixed
        return screen

    encoder, viewer = TileJpegEncoder(), Viewer()
    send(encoder, viewer, panes(0), 1, keyframe=True)
    update, _ = send(encoder, viewer, panes(40), 2)
    copies = [r for r in update.rects if r.encoding is Encoding.copy]
    assert len(copies) > 1
    assert not any(r.x < 672 and r.x + r.width > 608 for r in copies)
    painted = [r for r in update.rects if r.encoding is not Encoding.copy]
    assert not any(r.x < 672 and r.x + r.width > 608 and r.y < 680 for r in painted)
    assert difference(viewer.picture, panes(40)) < JPEG_TOLERANCE


def test_areas_close_together_are_joined_and_never_overlap():
    slivers = [(100, 500, 60, 1), (300, 500, 20, 1), (90, 506, 900, 15), (95, 546, 880, 14)]
    assert join_areas(slivers) == [(90, 500, 900, 60)]
    far = [(0, 0, 100, 20), (0, 600, 100, 20), (800, 0, 30, 30)]
    assert join_areas(far) == sorted(far, key=lambda a: (a[1], a[0]))
    # A box that would reach into another area swallows it too.
    crossing = [(0, 0, 100, 10), (0, 20, 100, 10), (50, 5, 200, 20)]
    (joined,) = join_areas(crossing)
    assert joined == (0, 0, 250, 30)


def test_an_update_too_large_for_one_frame_is_encoded_at_a_lower_quality():
    noise = np.random.default_rng(3).integers(0, 256, (HEIGHT, WIDTH, 4), dtype=np.uint8)
    large = TileJpegEncoder().encode(noise, quality=95, keyframe=True)[0]
    limited = TileJpegEncoder(max_bytes=len(large.data) // 2)
    (small,) = limited.encode(noise, quality=95, keyframe=True)
    assert len(small.data) <= len(large.data) // 2


def test_one_buffer_overwritten_each_frame_is_rebuilt_exactly_frame_after_frame():
    # The grab is mss' shared-memory buffer: the same array, read-only to the encoder, and
    # overwritten by the next grab. The encoder keeps a copy of its own, so every change
    # still shows; one that kept the buffer itself would compare it with itself and miss
    # them all. Solid colours and single pixels check the rebuild exactly; a pane that
    # scrolls, the copies.
    page = text_page(3000, WIDTH)
    rng = np.random.default_rng(11)
    grab = screen_with_page(page, 0, HEIGHT)
    encoder, viewer = TileJpegEncoder(), Viewer()

    def sent(frame, keyframe=False):
        grab.flags.writeable = False  # while the encoder has it
        update, _ = send(encoder, viewer, grab, frame, keyframe=keyframe)
        grab.flags.writeable = True  # the next grab overwrites it
        return update

    pane = text_page(2000, 480, 5)
    copied = 0
    sent(1, keyframe=True)
    for frame in range(2, 60):
        if frame % 10 == 0:  # a scroll: the whole buffer overwritten
            grab[:] = screen_with_page(page, frame * 4, HEIGHT)
        if frame % 3 == 0:  # a pane scrolling: copies, with little else changing
            grab[200:560, 300:780] = pane[frame * 10 : frame * 10 + 360]
        y, x = int(rng.integers(0, HEIGHT - 40)), int(rng.integers(0, WIDTH - 300))
        grab[y : y + 16, x : x + 300] = text_page(16, 300, frame)  # a line of a terminal
        colour = [int(c) for c in rng.integers(0, 256, 3)]
        sy, sx = int(rng.integers(0, HEIGHT - 64)), int(rng.integers(0, WIDTH - 64))
        grab[sy : sy + 64, sx : sx + 64] = (*colour, 255)  # a plain area
        py, px = int(rng.integers(0, HEIGHT)), int(rng.integers(0, WIDTH))
        grab[py, px] = (*colour[::-1], 255)  # one pixel, as a text cursor
        update = sent(frame)
        assert update is not None and not update.keyframe
        copied += any(r.encoding is Encoding.copy for r in update.rects)
        assert difference(viewer.picture, grab) < JPEG_TOLERANCE
        assert any(
            r.x <= px < r.x + r.width and r.y <= py < r.y + r.height for r in update.rects
        ), "the changed pixel is painted"
        # The encoder's copy is the grab exactly: the same grab again is no change.
        assert encoder.encode(grab, quality=70, keyframe=False) is None
    assert copied >= 10, "the pane's scrolling went out as copies"
    grab[0, 0] = (1, 2, 3, 255)  # BGRA
    (rect,) = sent(60).rects
    assert (rect.encoding, rect.x, rect.y, rect.width, rect.height) == (Encoding.solid, 0, 0, 1, 1)
    assert tuple(viewer.picture[0, 0]) == (3, 2, 1)
