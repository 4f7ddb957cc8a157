"""The operating system's part of screen sharing, one module per desktop behind one
interface, chosen once the way psutil chooses its backend:

    _x11.py      Linux and BSD with an X11 session: python-xlib, XTest through pynput
    _wayland.py  Linux with a Wayland session: not shareable (says so, never a black picture)
    _windows.py  Windows: ctypes (user32, dwmapi), pynput
    _macos.py    macOS: Quartz and AppKit through pyobjc when installed, pynput

`current()` gives the backend for this computer; `choose(sys_platform, environ)` is the
decision alone, so it can be checked for every desktop on any machine.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from assistant.screen.areas import Area, WindowInfo
from isp_common.screen_wire import UnavailableReason

if TYPE_CHECKING:
    from assistant.screen.input import Injector


class WindowPlace(NamedTuple):
    """Where a window is now; `shown` is False while it is minimised or hidden."""

    area: Area
    shown: bool


class Platform:
    """What every backend offers. A backend that cannot do something says so in its
    answer (`availability()`, False from `exclude_from_capture`), it never raises for it."""

    name = "none"

    def availability(self) -> UnavailableReason | None:
        """None when the screen can be shared, else why not."""
        return UnavailableReason.no_display

    def list_windows(self) -> list[WindowInfo]:
        """Visible top-level windows with a title, the topmost first."""
        return []

    def windows_watched(self) -> contextlib.AbstractContextManager[None]:
        """While inside, `list_windows` may answer from a list kept up to date by the
        desktop's notifications instead of asking for every window anew (a stream lists
        the windows twice a frame). It must never answer with a list older than the call."""
        return contextlib.nullcontext()

    def window_place(self, window_id: int) -> WindowPlace | None:
        """Where the window is now; None once it was closed."""
        return None

    def exclude_from_capture(self, native_handle: int) -> bool:
        """Asks the OS to keep this window (the assistant's own indicator) out of every
        capture. True when it will; False when the caller must mask its rectangle."""
        return False

    def cursor_position(self) -> tuple[int, int] | None:
        """The pointer in screen pixels, None when unknown."""
        return None

    def injector(self, blocked: Iterable[str] | None = None) -> Injector:
        """Input injection for remote control (`assistant.screen.input`)."""
        from assistant.screen.errors import ScreenUnavailable

        raise ScreenUnavailable(self.availability() or UnavailableReason.no_display)


def choose(sys_platform: str, environ: Mapping[str, str]) -> str:
    """The backend's name for this OS and session: "x11", "wayland", "windows", "macos"
    or "none" (no desktop at all).

    A Wayland session counts as Wayland even when it also runs XWayland (DISPLAY set too):
    an X11 grab there sees only the X11 programs and black where the others are."""
    if sys_platform == "win32":
        return "windows"
    if sys_platform == "darwin":
        return "macos"
    session = environ.get("XDG_SESSION_TYPE", "").lower()
    if environ.get("WAYLAND_DISPLAY") or session == "wayland":
        return "wayland"
    if environ.get("DISPLAY"):
        return "x11"
    return "none"


_lock = threading.Lock()
_current: dict[tuple[str, str], Platform] = {}


def current(sys_platform: str = sys.platform, environ: Mapping[str, str] | None = None) -> Platform:
    """The backend for this computer, made once (per display)."""
    environ = os.environ if environ is None else environ
    name = choose(sys_platform, environ)
    key = (name, environ.get("DISPLAY", ""))
    with _lock:
        if key not in _current:
            _current[key] = _make(name, environ)
        return _current[key]


def _make(name: str, environ: Mapping[str, str]) -> Platform:
    if name == "x11":
        from assistant.screen._x11 import X11Platform

        return X11Platform(environ.get("DISPLAY"))
    if name == "wayland":
        from assistant.screen._wayland import WaylandPlatform

        return WaylandPlatform()
    if name == "windows":
        from assistant.screen._windows import WindowsPlatform

        return WindowsPlatform()
    if name == "macos":
        from assistant.screen._macos import MacPlatform

        return MacPlatform()
    return Platform()


def availability() -> UnavailableReason | None:
    return current().availability()


def list_windows() -> list[WindowInfo]:
    return current().list_windows()


def exclude_from_capture(native_handle: int) -> bool:
    return current().exclude_from_capture(native_handle)


def injector(blocked: Iterable[str] | None = None) -> Injector:
    return current().injector(blocked)
