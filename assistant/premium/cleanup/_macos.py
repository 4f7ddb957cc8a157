"""Cleanup roots on macOS: ~/Library/Caches, and the user's temp folder ($TMPDIR).

Safari's cache is protected by macOS privacy settings; without Full Disk Access the
assistant cannot read it, and the cleanup then reports it as not permitted.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from assistant.premium.cleanup.roots import WILDCARD, Anchor, Browser, Locations, RootKind, RootSpec


def _cache(key: str, browser: Browser, *parts: str) -> RootSpec:
    return RootSpec(
        key, RootKind.BROWSER_CACHE, Anchor.HOME, ("Library", "Caches", *parts), browser
    )


ROOTS = (
    RootSpec("temp_files", RootKind.TEMP_FILES, Anchor.TEMP, (), min_age=timedelta(days=1)),
    _cache("chrome_cache", Browser.CHROME, "Google", "Chrome", WILDCARD, "Cache"),
    _cache("chromium_cache", Browser.CHROMIUM, "Chromium", WILDCARD, "Cache"),
    _cache("edge_cache", Browser.EDGE, "Microsoft Edge", WILDCARD, "Cache"),
    _cache("firefox_cache", Browser.FIREFOX, "Firefox", "Profiles", WILDCARD, "cache2"),
    _cache("safari_cache", Browser.SAFARI, "com.apple.Safari"),
)

BROWSER_PROCESSES = {
    Browser.CHROME: frozenset({"google chrome"}),
    Browser.CHROMIUM: frozenset({"chromium"}),
    Browser.EDGE: frozenset({"microsoft edge"}),
    Browser.FIREFOX: frozenset({"firefox"}),
    Browser.SAFARI: frozenset({"safari"}),
}


def default_locations() -> Locations:
    return Locations(home=Path.home(), temp=Path(tempfile.gettempdir()))
