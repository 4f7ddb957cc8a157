"""The grab on a real X server: mss' shared-memory buffer without a copy, the same
picture as mss' own grab, and mss' public grab wherever its private parts are not there."""

from __future__ import annotations

import mss
import numpy as np
import pytest

from assistant.screen import capture
from assistant.screen.capture import Grabber, WholeScreen

pytestmark = pytest.mark.desktop

RED_BGR = (0x30, 0x30, 0xC0)  # the fourth byte is padding (0 on a 24-bit X screen)


def public_grab(area) -> np.ndarray:
    with mss.MSS() as screen:
        shot = screen.grab(
            {"left": area.left, "top": area.top, "width": area.width, "height": area.height}
        )
        return np.frombuffer(shot.raw, dtype=np.uint8).reshape(shot.height, shot.width, 4)


def test_the_grab_is_the_shared_buffer_read_only_and_the_picture_mss_grabs(x11, desktop):
    desktop.window("Grabbed", 100, 100, 300, 200, "#c03030")
    grabber = Grabber(x11, WholeScreen())
    try:
        grabber.grab()  # mss' own grab, until XShmGetImage worked once
        frame, again = grabber.grab(), grabber.grab()
        assert np.shares_memory(frame.pixels, again.pixels), "no copy: the one buffer"
        assert not frame.pixels.flags.writeable
        assert tuple(frame.pixels[200, 250, :3]) == RED_BGR
        assert (frame.pixels == public_grab(frame.area)).all()
    finally:
        grabber.close()
    # A frame still held when the grabber closed stays readable (the mapping lives on).
    assert tuple(frame.pixels[200, 250, :3]) == RED_BGR


def test_without_the_private_parts_of_mss_the_public_grab_is_used(x11, desktop, monkeypatch):
    monkeypatch.setattr(capture._SharedMemoryGrab, "_PARTS", ("a_part_of_another_mss",))
    desktop.window("Grabbed", 100, 100, 300, 200, "#c03030")
    grabber = Grabber(x11, WholeScreen())
    try:
        frames = [grabber.grab() for _ in range(3)]
        assert not np.shares_memory(frames[1].pixels, frames[2].pixels)
        assert not frames[2].pixels.flags.writeable  # the same contract either way
        assert tuple(frames[2].pixels[200, 250, :3]) == RED_BGR
        assert (frames[2].pixels == public_grab(frames[2].area)).all()
    finally:
        grabber.close()
