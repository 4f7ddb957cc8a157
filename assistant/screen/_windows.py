"""Windows: windows through user32 and dwmapi (ctypes), input through pynput (SendInput).

The indicator is kept out of every capture with `SetWindowDisplayAffinity(hwnd,
WDA_EXCLUDEFROMCAPTURE)` (Windows 10 2004 and later); where that is refused the caller
masks it. Windows listed: visible, not cloaked (a window on another virtual desktop or
a suspended store app is cloaked), not a tool window, with a title; their rectangle as
drawn (`DWMWA_EXTENDED_FRAME_BOUNDS`, without the invisible resize border), falling back
to `GetWindowRect`. The process is made DPI aware first (as mss and Qt make it), so
these are physical pixels, as the grab's and the pointer's.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterable
from ctypes import wintypes

from assistant.screen.areas import Area, WindowInfo
from assistant.screen.input import Injector
from assistant.screen.platform import Platform, WindowPlace
from isp_common.screen_wire import UnavailableReason

WDA_EXCLUDEFROMCAPTURE = 0x11
DWMWA_EXTENDED_FRAME_BOUNDS = 9
DWMWA_CLOAKED = 14
GWL_EXSTYLE = -20
WS_EX_TOOLWINDOW = 0x00000080


class WindowsPlatform(Platform):
    name = "windows"

    def __init__(self) -> None:
        self._user32 = ctypes.WinDLL("user32", use_last_error=True)
        self._dwmapi = ctypes.WinDLL("dwmapi")
        self._lock = threading.Lock()
        _physical_pixels()
        user32 = self._user32
        user32.SetWindowDisplayAffinity.argtypes = [wintypes.HWND, wintypes.DWORD]
        user32.SetWindowDisplayAffinity.restype = wintypes.BOOL
        user32.IsWindow.argtypes = [wintypes.HWND]
        user32.IsWindowVisible.argtypes = [wintypes.HWND]
        user32.IsIconic.argtypes = [wintypes.HWND]
        user32.GetWindowTextLengthW.argtypes = [wintypes.HWND]
        user32.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]
        user32.GetWindowRect.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.RECT)]
        user32.GetWindowLongW.argtypes = [wintypes.HWND, ctypes.c_int]
        user32.GetCursorPos.argtypes = [ctypes.POINTER(wintypes.POINT)]
        self._dwmapi.DwmGetWindowAttribute.argtypes = [
            wintypes.HWND,
            wintypes.DWORD,
            ctypes.c_void_p,
            wintypes.DWORD,
        ]

    def availability(self) -> UnavailableReason | None:
        return None

    def list_windows(self) -> list[WindowInfo]:
        found: list[WindowInfo] = []
        callback_type = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.HWND, wintypes.LPARAM)

        def visit(hwnd, _):
            info = self._info(hwnd)
            if info is not None:
                found.append(info)
            return True

        with self._lock:  # EnumWindows goes from the top of the z-order down
            self._user32.EnumWindows(callback_type(visit), 0)
        return found

    def window_place(self, window_id: int) -> WindowPlace | None:
        hwnd = wintypes.HWND(window_id)
        if not self._user32.IsWindow(hwnd):
            return None
        shown = bool(self._user32.IsWindowVisible(hwnd)) and not self._user32.IsIconic(hwnd)
        return WindowPlace(self._area(hwnd), shown and not self._cloaked(hwnd))

    def exclude_from_capture(self, native_handle: int) -> bool:
        return bool(
            self._user32.SetWindowDisplayAffinity(
                wintypes.HWND(native_handle), WDA_EXCLUDEFROMCAPTURE
            )
        )

    def cursor_position(self) -> tuple[int, int] | None:
        point = wintypes.POINT()
        if not self._user32.GetCursorPos(ctypes.byref(point)):
            return None
        return point.x, point.y

    def injector(self, blocked: Iterable[str] | None = None) -> Injector:
        return Injector(blocked)  # pynput types any character with KEYEVENTF_UNICODE

    def _info(self, hwnd) -> WindowInfo | None:
        user32 = self._user32
        if not user32.IsWindowVisible(hwnd) or user32.IsIconic(hwnd) or self._cloaked(hwnd):
            return None
        if user32.GetWindowLongW(hwnd, GWL_EXSTYLE) & WS_EX_TOOLWINDOW:
            return None
        length = user32.GetWindowTextLengthW(hwnd)
        if length <= 0:
            return None
        buffer = ctypes.create_unicode_buffer(length + 1)
        user32.GetWindowTextW(hwnd, buffer, length + 1)
        area = self._area(hwnd)
        if area.width <= 0 or area.height <= 0:
            return None
        handle = hwnd if isinstance(hwnd, int) else ctypes.cast(hwnd, ctypes.c_void_p).value
        return WindowInfo(int(handle or 0), buffer.value, *area)

    def _area(self, hwnd) -> Area:
        rect = wintypes.RECT()
        result = self._dwmapi.DwmGetWindowAttribute(
            hwnd, DWMWA_EXTENDED_FRAME_BOUNDS, ctypes.byref(rect), ctypes.sizeof(rect)
        )
        if result != 0:  # S_OK is 0
            self._user32.GetWindowRect(hwnd, ctypes.byref(rect))
        return Area(rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top)

    def _cloaked(self, hwnd) -> bool:
        cloaked = wintypes.DWORD()
        result = self._dwmapi.DwmGetWindowAttribute(
            hwnd, DWMWA_CLOAKED, ctypes.byref(cloaked), ctypes.sizeof(cloaked)
        )
        return result == 0 and cloaked.value != 0


def _physical_pixels() -> None:
    """Per-monitor DPI awareness, unless the process chose already (Qt does)."""
    try:
        ctypes.WinDLL("shcore").SetProcessDpiAwareness(2)  # PROCESS_PER_MONITOR_DPI_AWARE
    except (OSError, AttributeError):
        ctypes.WinDLL("user32").SetProcessDPIAware()
