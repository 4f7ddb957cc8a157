"""What is blacked out of every picture before it is compared or encoded.

`Masks` is the masks provider a `ScreenStream` calls for each picture (before and after
the grab, so a window that opens or moves meanwhile is covered in both places). It gives
the screen rectangles of
- windows whose title matches the privacy list: password managers and online banking
  by default (`DEFAULT_PRIVACY_TITLES`);
- windows the customer chose to hide, and the assistant's own indicator where the OS
  cannot keep it out of the capture (X11): `hide_window(window_id)`, followed as they move;
- extra rectangles by name: `set_rectangle("name", area)`.

Matching: a plain entry matches at the start of a word of the title, case-insensitively
("Passwort" matches "Passwortverwaltung" and "Neues Passwort", "Banking" matches
"Online-Banking", but "ING" would not match "Settings"); an entry with * ? or [ is a
glob over the whole title ("*Bank*"). A masked window is black over its whole rectangle,
whatever lies on top of it.

`Masking` blacks the masks out of a grab, which is read-only (`assistant.screen.capture`):
the grab itself goes on when no mask lies on it, else a copy with the masks black.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Iterable

import numpy as np

from assistant.screen.areas import Area
from assistant.screen.platform import Platform

DEFAULT_PRIVACY_TITLES = (
    # password managers
    "KeePass",  # KeePass, KeePassXC
    "Bitwarden",
    "1Password",
    "LastPass",
    "Dashlane",
    "Enpass",
    "Proton Pass",
    "Password",  # "Password Manager", "Passwords", "Enter password"
    "Passwort",  # "Passwortverwaltung", "Neues Passwort"
    "Kennwort",
    # online banking and payment
    "Banking",  # "Online-Banking", "Onlinebanking" is matched below
    "Onlinebanking",
    "Sparkasse",
    "Volksbank",
    "Raiffeisen",
    "Commerzbank",
    "Deutsche Bank",
    "Postbank",
    "comdirect",
    "Consorsbank",
    "PayPal",
    "Klarna",
)


class TitleMatcher:
    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        words = [re.escape(p) for p in self.patterns if not _is_glob(p)]
        self._words = re.compile(r"(?<!\w)(?:" + "|".join(words) + ")", re.I) if words else None
        self._globs = [p.lower() for p in self.patterns if _is_glob(p)]

    def __call__(self, title: str) -> bool:
        if self._words is not None and self._words.search(title):
            return True
        lowered = title.lower()
        return any(fnmatch.fnmatchcase(lowered, glob) for glob in self._globs)


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")


class Masks:
    """The masks provider: call it for the screen rectangles to black out now.
    Thread-safe: the session changes it while the stream's thread reads it."""

    def __init__(
        self,
        platform: Platform,
        privacy_titles: Iterable[str] = DEFAULT_PRIVACY_TITLES,
        hidden_windows: Iterable[int] = (),
    ) -> None:
        self.platform = platform
        self._lock = threading.Lock()
        self._matcher = TitleMatcher(privacy_titles)
        self._hidden = set(hidden_windows)
        self._rectangles: dict[str, Area] = {}

    def set_privacy_titles(self, patterns: Iterable[str]) -> None:
        with self._lock:
            self._matcher = TitleMatcher(patterns)

    def hide_window(self, window_id: int) -> None:
        with self._lock:
            self._hidden.add(window_id)

    def show_window(self, window_id: int) -> None:
        with self._lock:
            self._hidden.discard(window_id)

    @property
    def hidden_windows(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._hidden)

    def set_rectangle(self, name: str, area: Area | None) -> None:
        """A rectangle in screen pixels to black out (None takes it away)."""
        with self._lock:
            if area is None:
                self._rectangles.pop(name, None)
            else:
                self._rectangles[name] = area

    def is_private(self, title: str) -> bool:
        with self._lock:
            return self._matcher(title)

    def __call__(self) -> list[Area]:
        with self._lock:
            matcher, hidden = self._matcher, set(self._hidden)
            found = list(self._rectangles.values())
        for window in self.platform.list_windows():
            if window.id in hidden or matcher(window.title):
                found.append(window.area)
            hidden.discard(window.id)
        for window_id in hidden:  # not listed (no title): asked for one by one
            place = self.platform.window_place(window_id)
            if place is not None and place.shown:
                found.append(place.area)
        return found


def black_out(pixels: np.ndarray, origin: Area, rectangles: Iterable[Area]) -> None:
    """Paints the rectangles (screen pixels) black on the picture at `origin`."""
    for rectangle in rectangles:
        inside = rectangle.intersection(origin)
        if inside is None:
            continue
        top, left = inside.top - origin.top, inside.left - origin.left
        pixels[top : top + inside.height, left : left + inside.width] = (0, 0, 0, 255)


class Masking:
    """The masks blacked out of read-only grabs: `masking(pixels, origin, rectangles)` is
    `pixels` itself when none of the rectangles lies on the picture (nothing copied, the
    usual case), else a copy of it with them black. The copy is made into one buffer
    kept from grab to grab, not a fresh 8 MiB array each frame, so it is valid until the
    next call, as the grab is. One per stream."""

    def __init__(self) -> None:
        self._buffer: np.ndarray | None = None

    def __call__(self, pixels: np.ndarray, origin: Area, rectangles: Iterable[Area]) -> np.ndarray:
        on_it = [inside for r in rectangles if (inside := r.intersection(origin)) is not None]
        if not on_it:
            return pixels
        if self._buffer is None or self._buffer.shape != pixels.shape:
            self._buffer = np.empty_like(pixels)
        np.copyto(self._buffer, pixels)
        black_out(self._buffer, origin, on_it)
        return self._buffer
