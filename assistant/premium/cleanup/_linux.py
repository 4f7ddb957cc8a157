"""Cleanup roots on Linux: XDG cache folders in the home folder, and the temp folder."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from assistant.premium.cleanup.roots import WILDCARD, Anchor, Browser, Locations, RootKind, RootSpec


def _cache(key: str, browser: Browser, *parts: str) -> RootSpec:
    return RootSpec(key, RootKind.BROWSER_CACHE, Anchor.HOME, (".cache", *parts), browser)


ROOTS = (
    RootSpec("temp_files", RootKind.TEMP_FILES, Anchor.TEMP, (), min_age=timedelta(days=1)),
    RootSpec("thumbnails", RootKind.THUMBNAILS, Anchor.HOME, (".cache", "thumbnails")),
    _cache("chrome_cache", Browser.CHROME, "google-chrome", WILDCARD, "Cache"),
    _cache("chrome_code_cache", Browser.CHROME, "google-chrome", WILDCARD, "Code Cache"),
    _cache("chromium_cache", Browser.CHROMIUM, "chromium", WILDCARD, "Cache"),
    _cache("chromium_code_cache", Browser.CHROMIUM, "chromium", WILDCARD, "Code Cache"),
    _cache("edge_cache", Browser.EDGE, "microsoft-edge", WILDCARD, "Cache"),
    _cache("edge_code_cache", Browser.EDGE, "microsoft-edge", WILDCARD, "Code Cache"),
    _cache("firefox_cache", Browser.FIREFOX, "mozilla", "firefox", WILDCARD, "cache2"),
)

# psutil's names; the kernel cuts names to 15 characters ("chromium-browse").
BROWSER_PROCESSES = {
    Browser.CHROME: frozenset({"chrome", "google-chrome"}),
    Browser.CHROMIUM: frozenset({"chromium", "chromium-browser", "chromium-browse"}),
    Browser.EDGE: frozenset({"msedge", "microsoft-edge"}),
    Browser.FIREFOX: frozenset({"firefox", "firefox-esr", "firefox-bin"}),
    Browser.SAFARI: frozenset(),
}


def default_locations() -> Locations:
    return Locations(home=Path.home(), temp=Path(tempfile.gettempdir()))
