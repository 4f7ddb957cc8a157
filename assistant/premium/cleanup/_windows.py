"""Cleanup roots on Windows: browser caches under %LOCALAPPDATA%, and %TEMP%."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

from assistant.premium.cleanup.roots import WILDCARD, Anchor, Browser, Locations, RootKind, RootSpec


def _cache(key: str, browser: Browser, *parts: str) -> RootSpec:
    return RootSpec(key, RootKind.BROWSER_CACHE, Anchor.LOCAL_APP_DATA, parts, browser)


ROOTS = (
    RootSpec("temp_files", RootKind.TEMP_FILES, Anchor.TEMP, (), min_age=timedelta(days=1)),
    _cache("chrome_cache", Browser.CHROME, "Google", "Chrome", "User Data", WILDCARD, "Cache"),
    _cache(
        "chrome_code_cache", Browser.CHROME, "Google", "Chrome", "User Data", WILDCARD, "Code Cache"
    ),
    _cache("chromium_cache", Browser.CHROMIUM, "Chromium", "User Data", WILDCARD, "Cache"),
    _cache("edge_cache", Browser.EDGE, "Microsoft", "Edge", "User Data", WILDCARD, "Cache"),
    _cache(
        "edge_code_cache", Browser.EDGE, "Microsoft", "Edge", "User Data", WILDCARD, "Code Cache"
    ),
    _cache("firefox_cache", Browser.FIREFOX, "Mozilla", "Firefox", "Profiles", WILDCARD, "cache2"),
)

# Chromium builds for Windows run as chrome.exe too.
BROWSER_PROCESSES = {
    Browser.CHROME: frozenset({"chrome.exe"}),
    Browser.CHROMIUM: frozenset({"chrome.exe", "chromium.exe"}),
    Browser.EDGE: frozenset({"msedge.exe"}),
    Browser.FIREFOX: frozenset({"firefox.exe"}),
    Browser.SAFARI: frozenset(),
}


def default_locations() -> Locations:
    local = os.environ.get("LOCALAPPDATA")
    return Locations(
        home=Path.home(),
        temp=Path(tempfile.gettempdir()),
        local_app_data=Path(local) if local else None,
    )
