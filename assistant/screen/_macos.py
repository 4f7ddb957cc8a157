"""macOS: windows through Quartz (`CGWindowListCopyWindowInfo`), the indicator kept out of
captures with `NSWindow.setSharingType_(NSWindowSharingNone)`, input through pynput
(Quartz events). Both need pyobjc (pyobjc-framework-Quartz, pyobjc-framework-Cocoa),
which pynput installs on macOS; without it the window list is empty and the indicator is
masked instead. macOS asks the customer once for the "Screen Recording" permission (the
grab) and the "Accessibility" permission (the input); without them the grab shows only
the desktop and the input does nothing, which the session code should explain.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from assistant.screen.areas import Area, WindowInfo
from assistant.screen.input import Injector
from assistant.screen.platform import Platform, WindowPlace
from isp_common.screen_wire import UnavailableReason

NS_WINDOW_SHARING_NONE = 0


class MacPlatform(Platform):
    name = "macos"

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def availability(self) -> UnavailableReason | None:
        return None

    def _windows(self) -> list[dict]:
        try:
            import Quartz
        except ImportError:
            return []
        options = (
            Quartz.kCGWindowListOptionOnScreenOnly | Quartz.kCGWindowListExcludeDesktopElements
        )
        return list(Quartz.CGWindowListCopyWindowInfo(options, Quartz.kCGNullWindowID) or [])

    def list_windows(self) -> list[WindowInfo]:
        found = []
        for entry in self._windows():  # front to back
            if entry.get("kCGWindowLayer", 0) != 0:  # menu bar, Dock, overlays
                continue
            title = entry.get("kCGWindowName") or entry.get("kCGWindowOwnerName") or ""
            bounds = entry.get("kCGWindowBounds") or {}
            area = _area(bounds)
            if title and area.width > 0 and area.height > 0:
                found.append(WindowInfo(int(entry["kCGWindowNumber"]), str(title), *area))
        return found

    def window_place(self, window_id: int) -> WindowPlace | None:
        try:
            import Quartz
        except ImportError:
            return None
        entries = Quartz.CGWindowListCopyWindowInfo(
            Quartz.kCGWindowListOptionIncludingWindow, window_id
        )
        for entry in entries or []:
            if int(entry.get("kCGWindowNumber", -1)) == window_id:
                shown = bool(entry.get("kCGWindowIsOnscreen", False))
                return WindowPlace(_area(entry.get("kCGWindowBounds") or {}), shown)
        return None

    def exclude_from_capture(self, native_handle: int) -> bool:
        """`native_handle`: what Qt's `winId()` gives on macOS, the window's NSView."""
        try:
            import objc
        except ImportError:
            return False
        try:
            view = objc.objc_object(c_void_p=native_handle)
            window = view.window() if hasattr(view, "window") else view
            if window is None:
                return False
            window.setSharingType_(NS_WINDOW_SHARING_NONE)
            return int(window.sharingType()) == NS_WINDOW_SHARING_NONE
        except Exception:  # noqa: BLE001 - not an NSView: mask the window instead
            return False

    def cursor_position(self) -> tuple[int, int] | None:
        try:
            import Quartz
        except ImportError:
            return None
        point = Quartz.CGEventGetLocation(Quartz.CGEventCreate(None))
        return int(point.x), int(point.y)

    def injector(self, blocked: Iterable[str] | None = None) -> Injector:
        return Injector(blocked)


def _area(bounds: dict) -> Area:
    return Area(
        int(bounds.get("X", 0)),
        int(bounds.get("Y", 0)),
        int(bounds.get("Width", 0)),
        int(bounds.get("Height", 0)),
    )
