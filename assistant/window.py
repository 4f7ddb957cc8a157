"""The desktop window: pywebview with its Qt backend (PySide6) showing the local page.

Imported only in window mode: Qt and pywebview take a while to load and are not needed
headless or in the browser. `webview.start` must run on the main thread and returns when
the window is closed.
"""

from __future__ import annotations

import json
import os
import sys
import threading

WINDOW_SIZE = (1120, 780)
MINIMUM_SIZE = (900, 600)
ROOT_CHROMIUM_FLAGS = "--no-sandbox --disable-gpu"


def prepare_qt_environment(environ=os.environ) -> None:
    """As root, Qt WebEngine's Chromium refuses to start without these flags."""
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if is_root and not environ.get("QTWEBENGINE_CHROMIUM_FLAGS"):
        environ["QTWEBENGINE_CHROMIUM_FLAGS"] = ROOT_CHROMIUM_FLAGS


def load_qt() -> None:
    """Imports the Qt binding on the calling thread, before the assistant starts others.
    Its first import walks `sys.modules` (shiboken's signature set-up); while another
    thread imports a module that walk fails ("dictionary changed size during iteration")
    and shiboken ends the whole process with a fatal error. Seen at start-up: the local
    server's threads were importing while the screen-sharing indicator imported Qt."""
    prepare_qt_environment()
    import qtpy  # noqa: F401 - importing it is the point


def display_available(environ=os.environ, platform: str = sys.platform) -> bool:
    """Windows and macOS always have a screen; Linux and BSD have one when X or Wayland runs."""
    if platform.startswith("win") or platform == "darwin":
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


class DesktopWindow:
    """One window on the assistant's URL; thread-safe `close` and `read_text`."""

    def __init__(self, url: str, title: str) -> None:
        prepare_qt_environment()
        import webview

        self._webview = webview
        self.loaded = threading.Event()
        self.closed = threading.Event()
        self.window = webview.create_window(
            title,
            url,
            width=WINDOW_SIZE[0],
            height=WINDOW_SIZE[1],
            min_size=MINIMUM_SIZE,
            background_color="#F2F4F7",
        )
        self.window.events.loaded += self.loaded.set
        self.window.events.closed += self.closed.set
        # As far as pywebview tells: "normal", "minimised" or "maximised".
        self.state = "normal"
        self._state_before_minimised = "normal"
        self._state_lock = threading.Lock()
        self.window.events.minimized += lambda: self._note_state("minimised")
        self.window.events.maximized += lambda: self._note_state("maximised")
        self.window.events.restored += lambda: self._note_state("normal")

    def _note_state(self, state: str) -> None:
        with self._state_lock:
            if state == "minimised" and self.state != "minimised":
                self._state_before_minimised = self.state
            self.state = state

    def run(self) -> None:
        """Shows the window; returns when it has been closed."""
        # private_mode keeps no cookies or cache on disk: the secret dies with the process.
        self._webview.start(gui="qt", private_mode=True)
        self.closed.set()

    def close(self) -> None:
        if not self.closed.is_set():
            # destroy() hands itself to the GUI thread; it may be called from any thread.
            threading.Thread(target=self.window.destroy, name="close-window", daemon=True).start()

    def bring_forward(self) -> None:
        """Shows the window again, as it was, when it is minimised: for a question the
        customer must answer now (an agent asks for a report), which nobody would see in
        the taskbar. A window that is open stays as it is."""
        if self.closed.is_set() or not self.loaded.is_set():
            return
        with self._state_lock:
            state, before = self.state, self._state_before_minimised
        if state == "minimised":
            self.window.restore()  # also raises and focuses it
            if before == "maximised":
                self.window.maximize()
        elif state == "maximised":
            # Qt does not report minimising a maximised window; maximising again undoes
            # that and changes nothing for a window that is still maximised.
            self.window.maximize()

    def read_text(self, element_id: str, timeout: float = 10.0) -> str | None:
        """The text content of an element of the page, read from the window itself."""
        if not self.loaded.wait(timeout) or self.closed.is_set():
            return None
        target = json.dumps(element_id)
        script = f"(function(){{var e=document.getElementById({target});"
        script += "return e ? e.textContent : null;})()"
        # run_js, not evaluate_js: evaluate_js wraps the script in eval(), which the page's
        # Content-Security-Policy (no 'unsafe-eval') rightly refuses. Qt returns the value.
        return self.window.run_js(script)
