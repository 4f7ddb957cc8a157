"""What is shared and its grab, with mss.

`WholeScreen()` is every monitor as one picture (mss' monitor 0, the box around all of
them): the expert sees what the customer sees, wherever a window sits; the picture's
origin is the top-left corner of that box (negative coordinates on a monitor left of the
primary one). `WholeScreen(monitor=1)` is the first monitor alone, and so on.

`OneWindow(window_id)` is the screen rectangle of one window, followed as it moves and
resizes; the part outside the screen is left out. Whatever lies on top of the window
shows in that rectangle, as on the screen (masks still apply). While the window is
minimised `grab()` gives None (nothing is grabbed, so nothing else shows); once it is
closed it raises `WindowGone`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from assistant.screen.areas import Area
from assistant.screen.errors import ScreenUnavailable, WindowGone
from assistant.screen.platform import Platform
from isp_common.screen_wire import SIDE_MAX, UnavailableReason


@dataclass(frozen=True)
class WholeScreen:
    monitor: int = 0  # 0: all monitors as one picture; 1, 2...: one monitor


@dataclass(frozen=True)
class OneWindow:
    window_id: int


Target = WholeScreen | OneWindow


@dataclass
class Frame:
    """A grab: `pixels` (height, width, 4) BGRA, writable; `area` where it is on the
    screen; `captured_at_ms` the wall clock when it was taken."""

    pixels: np.ndarray
    area: Area
    captured_at_ms: int


class Grabber:
    """Grabs the target; made and used on one thread (the stream's)."""

    def __init__(self, platform: Platform, target: Target) -> None:
        self.platform = platform
        self.target = target
        self._mss = None

    def _screen(self):
        if self._mss is None:
            import mss

            try:
                self._mss = mss.MSS(with_cursor=False)
            except mss.exception.ScreenShotError as error:
                raise ScreenUnavailable(UnavailableReason.capture_failed, str(error)) from error
        return self._mss

    def area(self) -> Area | None:
        """Where the picture is now; None while the shared window is minimised."""
        monitors = self._screen().monitors
        if isinstance(self.target, WholeScreen):
            if self.target.monitor >= len(monitors):
                raise ScreenUnavailable(
                    UnavailableReason.capture_failed, f"No monitor {self.target.monitor}."
                )
            box = monitors[self.target.monitor]
            return Area(box["left"], box["top"], box["width"], box["height"])
        place = self.platform.window_place(self.target.window_id)
        if place is None:
            raise WindowGone(self.target.window_id)
        if not place.shown:
            return None
        box = monitors[0]
        return place.area.intersection(Area(box["left"], box["top"], box["width"], box["height"]))

    def grab(self) -> Frame | None:
        import mss

        area = self.area()
        if area is None:
            return None
        area = Area(area.left, area.top, min(area.width, SIDE_MAX), min(area.height, SIDE_MAX))
        captured_at_ms = int(time.time() * 1000)
        try:
            shot = self._screen().grab(
                {"left": area.left, "top": area.top, "width": area.width, "height": area.height}
            )
        except mss.exception.ScreenShotError as error:
            raise ScreenUnavailable(UnavailableReason.capture_failed, str(error)) from error
        pixels = np.frombuffer(shot.raw, dtype=np.uint8).reshape(shot.height, shot.width, 4)
        return Frame(pixels, area, captured_at_ms)

    def close(self) -> None:
        if self._mss is not None:
            self._mss.close()
            self._mss = None
