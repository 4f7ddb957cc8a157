"""One real desktop window: `isp-assistant` on a virtual screen (Xvfb), read through
pywebview from the window's own page, photographed, and closed cleanly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.assistant.support import FREE_CHECKS, wait_until
from tests.support.system import require_program
from tests.support.virtual_screen import VirtualScreen

pytestmark = pytest.mark.desktop


@pytest.fixture
def screen():
    virtual = VirtualScreen(require_program("Xvfb", "xvfb"))
    yield virtual
    virtual.stop()


def test_the_desktop_window_shows_the_checks_and_closes_cleanly(
    screen, start_assistant, output_dir
):
    assistant = start_assistant("--lang", "en", DISPLAY=screen.display)

    with assistant.client() as client:
        assert client.get("/api/state").json()["mode"] == "window"
        done = f"{len(FREE_CHECKS)} of {len(FREE_CHECKS)} checks done"

        def window_text(element: str) -> str | None:
            response = client.get(f"/api/window/text/{element}")
            if response.status_code == 404:  # the window is still opening
                return None
            assert response.status_code == 200, response.text
            return response.json()["text"]

        # Read from the window's own page (pywebview runs the script in Qt WebEngine).
        assert wait_until(lambda: window_text("progress-text") == done, timeout=60)
        assert window_text("overall-title") == "We found a problem"
        # Live help's script runs there too: not signed in, it says what to do first.
        assert wait_until(
            lambda: "sign in under “Premium” first" in (window_text("help-unlinked-text") or ""),
            timeout=30,
        )
        colours = screen.screenshot(output_dir / "assistant-window.png")
        assert len(colours) > 40, "the screen looks blank"

        assert client.post("/api/quit").status_code == 202
    assert assistant.wait_for_exit(30) == 0


def test_a_minimised_window_comes_back_as_it_was_when_asked_forward(screen):
    """What happens when an agent asks for a report while the window sits in the taskbar:
    the real Qt window is restored (maximised again if it was), an open one left alone."""
    environment = {**os.environ, "DISPLAY": screen.display}
    probe = subprocess.run(
        [sys.executable, "-m", "tests.assistant.window_probe"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    (report,) = [line for line in probe.stdout.splitlines() if line.startswith("[")]
    assert json.loads(report) == [
        ["open, asked forward", "normal"],
        ["minimised", "minimised"],
        ["asked forward", "normal"],
        ["maximised", "maximised"],
        ["minimised from maximised", "minimised"],
        ["asked forward again", "maximised"],
    ]
