"""The sharing indicator: a small window of its own, always on top, shown the whole time the
screen is shared, whatever becomes of the main window (it may be minimised or hidden).
It says who watches and whether they control, with "Stop sharing" and "Take back
control", the windows the customer may hide, and the shortcut Ctrl+Shift+X that stops
everything (while the indicator or the assistant has the focus; also system-wide where
pynput's global hotkeys work, see `GlobalShortcut`).

It is kept out of the picture it announces: on Windows and macOS the system leaves it out
of every capture (`assistant.screen.exclude_from_capture`); elsewhere (X11) its rectangle
is blacked out in every update (`masked_rects`, the masks provider's extra rectangles).

Imported in window mode only (pywebview and Qt, as `assistant.window`). The window is made
with the main one, hidden, so its page is loaded before it is needed; `show(True)` and
`show(False)` are safe from any thread.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

SIZE = (400, 360)
MARGIN = 24
SHORTCUT = "<ctrl>+<shift>+x"  # pynput's spelling of the shortcut the pages know


class IndicatorWindow:
    def __init__(self, url: str, title: str, *, engine=None) -> None:
        import webview

        self.engine = engine
        self.title = title
        self.excluded = False  # the system leaves it out of captures
        self.visible = False
        self.loaded = threading.Event()
        self.closed = threading.Event()
        self.window = webview.create_window(
            title,
            url,
            width=SIZE[0],
            height=SIZE[1],
            on_top=True,
            hidden=True,
            resizable=True,
            minimized=False,
            background_color="#FFFFFF",
        )
        self.window.events.loaded += self.loaded.set
        self.window.events.closed += self.closed.set
        # Closing the indicator is no way to hide the sharing: it stays while sharing.
        self.window.events.closing += self._refuse_closing_while_sharing
        self._lock = threading.Lock()
        # Qt's windows may be touched on the GUI thread only (the one making this object).
        self._gui = _GuiCaller()
        self._rect: tuple[int, int, int, int] | None = None
        self._placed = False

    def _refuse_closing_while_sharing(self):
        return not self.visible  # False cancels the closing

    def show(self, sharing: bool) -> None:
        """Shows the indicator while sharing, hides it after; returns at once."""
        with self._lock:
            self.visible = sharing
        threading.Thread(target=self._apply, name="indicator", daemon=True).start()

    def _apply(self) -> None:
        if not self.loaded.wait(15) or self.closed.is_set():
            return
        with self._lock:
            sharing = self.visible
        try:
            if sharing:
                self.window.show()
                self._place()
                self._exclude()
            else:
                self.window.hide()
        except Exception:
            log.exception("the sharing indicator could not be shown or hidden")

    def _place(self) -> None:
        """Top right of the screen the first time; where the customer put it afterwards."""
        if self._placed:
            return
        native = getattr(self.window, "native", None)
        if native is None:
            return

        def corner() -> tuple[int, int]:
            from qtpy.QtGui import QGuiApplication

            shown_on = QGuiApplication.screenAt(native.geometry().center())
            area = (shown_on or QGuiApplication.primaryScreen()).availableGeometry()
            return area.right() - SIZE[0] - MARGIN, area.top() + MARGIN

        place = self._gui.run(corner)
        if place is not None:
            self.window.move(*place)
            self._placed = True

    def _exclude(self) -> None:
        if self.excluded or self.engine is None:
            return
        native = getattr(self.window, "native", None)
        if native is None:
            return
        try:
            handle = self._gui.run(lambda: int(native.winId()))
            if handle is not None:
                self.excluded = bool(self.engine.exclude_from_capture(handle))
        except Exception:
            log.exception("the indicator could not be excluded from capture; it is masked")

    def masked_rects(self) -> list[tuple[int, int, int, int]]:
        """The indicator's rectangle (x, y, width, height) while it shows and the system
        does not leave it out of captures by itself (read on the GUI thread; the last one
        known should that thread be busy)."""
        if not self.visible or self.excluded or self.closed.is_set():
            return []
        native = getattr(self.window, "native", None)
        if native is None:
            return []

        def frame() -> tuple[int, int, int, int]:
            place = native.frameGeometry()
            return (place.x(), place.y(), place.width(), place.height())

        rect = self._gui.run(frame, timeout=0.5)
        if rect is not None:
            self._rect = rect
        return [self._rect] if self._rect is not None else []

    def state(self) -> dict:
        """For the local API (and its tests): shown, kept out by the system, or masked."""
        return {
            "visible": self.visible,
            "excluded": self.excluded,
            "masked": [list(rect) for rect in self.masked_rects()],
        }

    def read_text(self, element_id: str, timeout: float = 10.0) -> str | None:
        """The text of an element of the indicator's page, read from the window itself."""
        if not self.loaded.wait(timeout) or self.closed.is_set():
            return None
        target = json.dumps(element_id)
        script = f"(function(){{var e=document.getElementById({target});"
        script += "return e && !e.closest('[hidden]') ? e.textContent : null;})()"
        return self.window.run_js(script)

    def close(self) -> None:
        with self._lock:
            self.visible = False
        if not self.closed.is_set():
            threading.Thread(
                target=self.window.destroy, name="indicator-close", daemon=True
            ).start()


class _GuiCaller:
    """Runs a function on the thread that made it (Qt's GUI thread) and waits for it."""

    def __init__(self) -> None:
        from qtpy import QtCore

        class Caller(QtCore.QObject):
            call = QtCore.Signal(object)

        self._caller = Caller()
        self._caller.call.connect(lambda job: job(), QtCore.Qt.ConnectionType.QueuedConnection)

    def run(self, function, timeout: float = 5.0):
        done = threading.Event()
        result: list = []

        def job() -> None:
            try:
                result.append(function())
            except Exception:
                log.exception("a call on the GUI thread failed")
            finally:
                done.set()

        self._caller.call.emit(job)
        if not done.wait(timeout) or not result:
            return None
        return result[0]


class GlobalShortcut:
    """Ctrl+Shift+X anywhere on the desktop, through pynput, where it works (X11 with the
    RECORD extension, Windows, macOS with the accessibility permission). Without pynput the
    shortcut works while the indicator or the assistant has the focus (their pages)."""

    def __init__(self, action: Callable[[], None]) -> None:
        self.listener = None
        try:
            from pynput import keyboard
        except Exception as err:  # not installed, or no display it can listen on
            log.info("no system-wide shortcut: %s", err)
            return
        try:
            self.listener = keyboard.GlobalHotKeys({SHORTCUT: action})
            self.listener.daemon = True
            self.listener.start()
        except Exception as err:
            log.info("no system-wide shortcut: %s", err)
            self.listener = None

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
