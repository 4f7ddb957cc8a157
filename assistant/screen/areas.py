"""Places on the screen: `Area` (a rectangle in screen pixels, the way every backend and
the capture speak of them) and `WindowInfo` (a top-level window as the platform lists it)."""

from __future__ import annotations

from typing import NamedTuple


class Area(NamedTuple):
    """A rectangle: `left`, `top` in screen pixels (negative on a monitor left of or above
    the primary one), `width` and `height`."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def intersection(self, other: Area) -> Area | None:
        """The part both share, or None when they do not overlap."""
        left, top = max(self.left, other.left), max(self.top, other.top)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Area(left, top, right - left, bottom - top)

    def contains(self, x: int, y: int) -> bool:
        return self.left <= x < self.right and self.top <= y < self.bottom


class WindowInfo(NamedTuple):
    """A visible top-level window: `id` is the platform's handle (X11 window id, Windows
    HWND, macOS window number), the rectangle in screen pixels, its title as shown."""

    id: int
    title: str
    x: int
    y: int
    width: int
    height: int

    @property
    def area(self) -> Area:
        return Area(self.x, self.y, self.width, self.height)
