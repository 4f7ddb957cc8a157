"""A virtual screen (Xvfb) for tests that open real windows or grab the screen."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import mss
import mss.tools


class VirtualScreen:
    """Xvfb on a display number it picks itself (-displayfd), so parallel runs never clash."""

    def __init__(self, xvfb: str, size: str = "1280x800") -> None:
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [xvfb, "-displayfd", str(write_end), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number:
            self.stop()
            raise AssertionError("Xvfb did not start")
        self.display = f":{number}"

    def screenshot(self, path: Path) -> set[tuple[int, int, int]]:
        """Saves the whole screen as PNG; returns the colours on it."""
        grabber = getattr(mss, "MSS", None) or mss.mss
        with grabber(display=self.display) as screen:
            shot = screen.grab(screen.monitors[1])
            mss.tools.to_png(shot.rgb, shot.size, output=str(path))
            rgb = shot.rgb
        return {tuple(rgb[i : i + 3]) for i in range(0, len(rgb), 3 * 7)}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
