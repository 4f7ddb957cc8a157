"""A virtual screen of 1920x1080 for the screen sharing's tests, and Tk windows on it.

The screen is the process' DISPLAY while the tests run: pynput (the input injection)
connects to the display the environment names, as in the assistant. One screen for the
whole run: Tk keeps its connection to a display until the process ends, and exits the
process when that display goes away."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator

import pytest

from assistant.screen._x11 import X11Platform
from tests.support.system import require_program
from tests.support.virtual_screen import VirtualScreen


@pytest.fixture(scope="session")
def x_display() -> Iterator[str]:
    virtual = VirtualScreen(require_program("Xvfb", "xvfb"), "1920x1080")
    before = os.environ.get("DISPLAY")
    os.environ["DISPLAY"] = virtual.display
    yield virtual.display
    if before is None:
        os.environ.pop("DISPLAY", None)
    else:
        os.environ["DISPLAY"] = before
    virtual.stop()


@pytest.fixture
def x11(x_display: str) -> X11Platform:
    return X11Platform(x_display)


class Desktop:
    """Tk windows on the virtual screen; `pump` lets Tk draw and read its events."""

    def __init__(self, display: str) -> None:
        import tkinter  # here: the tests without windows run without Tk

        self.tkinter = tkinter
        # No collection on a stream's thread while Tk lives: Tcl aborts the process when
        # another thread collects a Tk object left in a reference cycle. close() collects.
        gc.disable()
        self.root = tkinter.Tk(screenName=display)
        self.root.withdraw()
        self.windows = []

    def window(self, title: str, x: int, y: int, width: int, height: int, colour: str = "#3060c0"):
        window = self.tkinter.Toplevel(self.root, background=colour)
        window.title(title)
        window.geometry(f"{width}x{height}+{x}+{y}")
        self.windows.append(window)
        window.wait_visibility()
        self.settle()
        return window

    def pump(self, seconds: float = 0.0) -> None:
        end = time.monotonic() + seconds
        while True:
            self.root.update()
            if time.monotonic() >= end:
                return
            time.sleep(0.005)

    def settle(self) -> None:
        """Everything drawn: a round trip to the X server after Tk's updates."""
        self.root.update()
        self.root.winfo_pointerxy()
        self.root.update()

    def until(self, condition: Callable[[], object], timeout: float = 5.0) -> object:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.02)
            result = condition()
            if result:
                return result
        return condition()

    def close(self) -> None:
        self.root.destroy()
        self.windows.clear()
        self.root = None
        gc.collect()
        gc.enable()


@pytest.fixture
def desktop(x_display: str) -> Iterator[Desktop]:
    opened = Desktop(x_display)
    yield opened
    opened.close()
