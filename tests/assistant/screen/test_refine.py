"""Refinement: what moved went out at the viewer's lower moving quality; once it stands
still it is sent again at the refine quality, a little per update, so the expert's copy
turns sharp, and what keeps changing or was merely scrolled is not sent again."""

from __future__ import annotations

import numpy as np

from assistant.screen.encoding import TileJpegEncoder
from assistant.screen.refine import REFINE_AFTER_SECONDS, REFINE_SHARE
from isp_common.screen_wire import Encoding, ScreenUpdate, encode_update
from tests.assistant.screen.pictures import screen_with_page, text_page
from tests.assistant.screen.viewer import Viewer, difference

HEIGHT, WIDTH = 720, 1280
TILES = -(-HEIGHT // 32) * -(-WIDTH // 32)
MOVING, SHARP = 40, 95


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def encoder_and_viewer(**options):
    clock = Clock()
    return TileJpegEncoder(clock=clock, **options), Viewer(), clock


def send(encoder, viewer, picture, *, keyframe=False, refine=SHARP):
    rects = encoder.encode(picture, quality=MOVING, keyframe=keyframe, refine_quality=refine)
    if rects is None:
        return None
    height, width = picture.shape[:2]
    update = ScreenUpdate(len(viewer.frames) + 1, 0, width, height, keyframe=keyframe, rects=rects)
    viewer.apply(encode_update(update))
    return update


def sharp(rect) -> bool:
    """Whether a JPEG rectangle was encoded at the refine quality: the first step of its
    luminance quantisation table (libjpeg scales it with the quality: 2 at 95, 20 at 40)."""
    at = rect.data.index(b"\xff\xdb") + 5  # the marker, its length, the table's number
    return rect.data[at] <= 2


def painted_pixels(update) -> int:
    return sum(r.width * r.height for r in update.rects if r.encoding is not Encoding.copy)


def refine_until_still(encoder, viewer, clock, picture, limit=100) -> list:
    """The updates while the picture stands still, until the encoder has sent nothing for
    longer than a tile waits before it is refined."""
    updates, last_sent = [], clock.now
    for _ in range(limit):
        clock.now += 0.05
        update = send(encoder, viewer, picture)
        if update is not None:
            updates.append(update)
            last_sent = clock.now
        elif clock.now - last_sent > REFINE_AFTER_SECONDS + 0.1:
            return updates
    raise AssertionError("refinement never ended")


def inside(rect, rows: slice, columns: slice) -> bool:
    return (
        rows.start <= rect.y
        and rect.y + rect.height <= rows.stop
        and columns.start <= rect.x
        and rect.x + rect.width <= columns.stop
    )


def overlaps(rect, rows: slice, columns: slice) -> bool:
    return (
        rect.y < rows.stop
        and rows.start < rect.y + rect.height
        and rect.x < columns.stop
        and columns.start < rect.x + rect.width
    )


def test_a_still_picture_turns_sharp_a_little_per_update_and_then_nothing_is_sent():
    encoder, viewer, clock = encoder_and_viewer()
    picture = screen_with_page(text_page(HEIGHT, WIDTH), 0, HEIGHT)
    send(encoder, viewer, picture, keyframe=True)
    blurred = difference(viewer.picture, picture)
    clock.now += REFINE_AFTER_SECONDS / 2
    assert send(encoder, viewer, picture) is None, "nothing is refined before it stood still"

    updates = refine_until_still(encoder, viewer, clock, picture)
    share = REFINE_SHARE * TILES * 32 * 32
    assert all(painted_pixels(update) <= share for update in updates)
    assert sum(painted_pixels(update) for update in updates) == HEIGHT * WIDTH
    assert difference(viewer.picture, picture) < blurred / 2, "the copy is sharper"
    clock.now += 10
    assert send(encoder, viewer, picture) is None, "refined once, never again"


def test_without_a_refine_quality_nothing_is_sent_again():
    encoder, viewer, clock = encoder_and_viewer()
    picture = screen_with_page(text_page(HEIGHT, WIDTH), 0, HEIGHT)
    send(encoder, viewer, picture, keyframe=True, refine=None)
    clock.now += 10
    assert send(encoder, viewer, picture, refine=None) is None


def test_a_part_that_keeps_changing_is_not_refined_while_the_rest_is():
    encoder, viewer, clock = encoder_and_viewer()
    picture = screen_with_page(text_page(HEIGHT, WIDTH), 0, HEIGHT)
    send(encoder, viewer, picture, keyframe=True)
    busy = (slice(320, 352), slice(0, 640))  # a video playing: every pixel, every step
    noise = np.random.default_rng(3)
    for _ in range(60):
        clock.now += 0.05
        picture = picture.copy()
        picture[busy] = noise.integers(0, 256, (32, 640, 4), dtype=np.uint8)
        picture[busy + (3,)] = 255
        update = send(encoder, viewer, picture)
        in_busy = [rect for rect in update.rects if overlaps(rect, *busy)]
        assert in_busy and not any(sharp(rect) for rect in in_busy), "changed, not refined"
        assert all(inside(rect, *busy) for rect in in_busy)
    outside, shown = picture.copy(), viewer.picture.copy()
    outside[busy] = shown[busy] = 0
    assert difference(shown, outside) < 2.5, "everything still was refined meanwhile"

    updates = refine_until_still(encoder, viewer, clock, picture)
    assert updates, "once the lines stop changing they are refined too"
    assert all(inside(rect, *busy) and sharp(rect) for u in updates for rect in u.rects)


def test_scrolled_content_keeps_its_quality_and_only_the_new_strip_is_refined():
    encoder, viewer, clock = encoder_and_viewer()
    page = text_page(3000, WIDTH)
    send(encoder, viewer, screen_with_page(page, 0, HEIGHT), keyframe=True)
    refine_until_still(encoder, viewer, clock, screen_with_page(page, 0, HEIGHT))

    scrolled = screen_with_page(page, 64, HEIGHT)
    clock.now += 0.05
    update = send(encoder, viewer, scrolled)
    assert any(r.encoding is Encoding.copy for r in update.rects)
    updates = refine_until_still(encoder, viewer, clock, scrolled)
    refined = sum(painted_pixels(u) for u in updates)
    assert 0 < refined <= (64 + 2 * 32) * WIDTH, "the strip the scroll showed, not the page"
    assert difference(viewer.picture, scrolled) < 2.5


def test_refinement_takes_what_fits_into_one_frame_and_the_rest_follows():
    encoder, viewer, clock = encoder_and_viewer(max_bytes=60_000)
    noise = np.random.default_rng(5).integers(0, 256, (HEIGHT, WIDTH, 4), dtype=np.uint8)
    noise[..., 3] = 255
    send(encoder, viewer, noise, keyframe=True)
    updates = refine_until_still(encoder, viewer, clock, noise, limit=400)
    assert len(updates) > 1 / REFINE_SHARE, "more updates than when everything fits"
    assert all(len(encode_update(u)) <= 60_000 + 64 for u in updates)
    assert sum(painted_pixels(u) for u in updates) == HEIGHT * WIDTH
