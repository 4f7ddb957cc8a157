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

The grab is not copied where mss can give it without a copy: on X11 (mss' XShmGetImage
backend) `Frame.pixels` is a read-only view of mss' shared-memory buffer, which the next
grab overwrites. Copying those 8 MiB (a 1920x1080 screen) into a fresh array each frame
was a fifth of what the sender did while sharing; the encoder keeps its own last picture
and copies only the tiles that changed (`assistant.screen.encoding`).
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
    """A grab: `pixels` (height, width, 4) BGRA, read-only and valid only until the next
    grab (it may be mss' shared-memory buffer: copy what you keep); `area` where it is on
    the screen; `captured_at_ms` the wall clock when it was taken."""

    pixels: np.ndarray
    area: Area
    captured_at_ms: int


class Grabber:
    """Grabs the target; made and used on one thread (the stream's)."""

    def __init__(self, platform: Platform, target: Target) -> None:
        self.platform = platform
        self.target = target
        self._mss = None
        self._shared: _SharedMemoryGrab | None = None

    def _screen(self):
        if self._mss is None:
            import mss

            try:
                self._mss = mss.MSS(with_cursor=False)
            except mss.exception.ScreenShotError as error:
                raise ScreenUnavailable(UnavailableReason.capture_failed, str(error)) from error
            self._shared = _SharedMemoryGrab.of(self._mss)
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
        box = {"left": area.left, "top": area.top, "width": area.width, "height": area.height}
        try:
            if self._shared is not None and self._shared.ready():
                pixels = self._shared.grab(box)
            else:
                shot = self._screen().grab(box)
                pixels = np.frombuffer(shot.raw, dtype=np.uint8).reshape(shot.height, shot.width, 4)
                pixels.flags.writeable = False  # as the shared buffer: the same contract
        except mss.exception.ScreenShotError as error:
            raise ScreenUnavailable(UnavailableReason.capture_failed, str(error)) from error
        return Frame(pixels, area, captured_at_ms)

    def close(self) -> None:
        if self._mss is not None:
            if self._shared is not None:
                self._shared.release()
                self._shared = None
            self._mss.close()
            self._mss = None


class _SharedMemoryGrab:
    """mss' XShmGetImage grab (mss 10.2, `mss/linux/xshmgetimage.py`) without its copy:
    the X server writes the picture into the shared-memory segment and the frame is a
    view of it. It relies on private parts of mss, so `of()` checks they are there (any
    other backend or version: None, and the public `grab()` is used), and pyproject pins
    mss to 10.2.*. mss' own `grab()` takes the first frames until XShmGetImage worked once:
    it falls back to XGetImage by itself when the shared memory does not work."""

    _PARTS = ("conn", "drawable", "drawable_depth", "drawable_visual_id", "_shmseg", "_buf")

    def __init__(self, screen, impl, xcb, all_planes, available) -> None:
        self._screen, self._impl = screen, impl
        self._xcb, self._all_planes, self._available = xcb, all_planes, available

    @classmethod
    def of(cls, screen) -> _SharedMemoryGrab | None:
        try:
            from mss.linux import xcb
            from mss.linux.base import ALL_PLANES
            from mss.linux.xshmgetimage import MSSImplXShmGetImage, ShmStatus
        except ImportError:  # not Linux, or another mss
            return None
        impl, lock = getattr(screen, "_impl", None), getattr(screen, "_lock", None)
        if (
            not isinstance(impl, MSSImplXShmGetImage)
            or lock is None
            or not hasattr(xcb, "shm_get_image")
            or not all(hasattr(impl, part) for part in cls._PARTS)
        ):
            return None
        return cls(screen, impl, xcb, ALL_PLANES, ShmStatus.AVAILABLE)

    def ready(self) -> bool:
        """XShmGetImage worked for mss' own grab (and the buffer is still there)."""
        return self._impl.shm_status is self._available and self._impl._buf is not None

    def release(self) -> None:
        """Lets mss close without unmapping the buffer: a frame may still be a view of it
        (mss' close would fail, and leave the X connection open); the mapping goes once
        the last view is gone."""
        self._impl._buf = None

    def grab(self, box: dict) -> np.ndarray:
        from mss.exception import ScreenShotError

        impl, width, height = self._impl, box["width"], box["height"]
        with self._screen._lock:  # as mss' grab: not while it closes
            buffer = impl._buf
            if impl.conn is None or buffer is None:
                raise ScreenShotError("Cannot take screenshot while the connection is closed")
            if width * height * 4 > len(buffer):
                raise ScreenShotError("The grab is larger than the shared-memory buffer.")
            reply = self._xcb.shm_get_image(
                impl.conn,
                impl.drawable,
                box["left"],
                box["top"],
                width,
                height,
                self._all_planes,
                self._xcb.ImageFormat.ZPixmap,
                impl._shmseg,
                0,
            )
            if reply.depth != impl.drawable_depth or reply.visual != impl.drawable_visual_id:
                raise ScreenShotError("The server's image has another depth or visual.")
            pixels = np.frombuffer(buffer, dtype=np.uint8, count=width * height * 4)
        pixels = pixels.reshape(height, width, 4)
        pixels.flags.writeable = False  # the X server's picture: never written to here
        return pixels
