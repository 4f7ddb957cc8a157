"""Pictures that look like a screen: a light page with lines of dark glyphs, BGRA."""

from __future__ import annotations

import numpy as np

LINE = 20  # pixels from one line of text to the next


def text_page(height: int, width: int, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    page = np.full((height, width, 4), 250, dtype=np.uint8)
    glyphs = rng.integers(0, 2, (60, 12, 7)).astype(bool)
    for y in range(0, height - LINE, LINE):
        for x in range(40, width - 60, 8):
            if rng.random() < 0.75:
                page[y + 4 : y + 16, x : x + 7, :3][glyphs[rng.integers(0, len(glyphs))]] = 35
    return page


def screen_with_page(page: np.ndarray, offset: int, height: int) -> np.ndarray:
    """A browser-like screen: a toolbar, the page scrolled to `offset`, a scroll bar."""
    width = page.shape[1]
    screen = np.empty((height, width, 4), dtype=np.uint8)
    screen[:80] = (60, 50, 40, 255)
    screen[80:] = page[offset : offset + height - 80]
    screen[80:, width - 16 :] = (210, 210, 210, 255)
    thumb = 80 + offset // 4
    screen[thumb : thumb + 120, width - 14 : width - 2] = (120, 120, 120, 255)
    return screen
