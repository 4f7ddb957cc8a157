"""Where cleanup may delete: allow-listed cache and temp folders, one list per OS.

Each OS module (`_linux`, `_windows`, `_macos`) lists its roots relative to an anchor (the
home folder, the temp folder, or on Windows %LOCALAPPDATA%) and names the processes of each
browser; `current_platform()` picks the module once. Anchors are injectable (`Locations`)
so tests point them at temporary folders; for a whole program (the assistant started by a
test, or by a technician trying cleanup on a copy) the environment variables
`ISP_ASSISTANT_CLEANUP_HOME`, `ISP_ASSISTANT_CLEANUP_TEMP` and, on Windows,
`ISP_ASSISTANT_CLEANUP_LOCAL_APP_DATA` stand in for the real folders
(`configured_locations`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from types import ModuleType

CLEANUP_HOME_VARIABLE = "ISP_ASSISTANT_CLEANUP_HOME"
CLEANUP_TEMP_VARIABLE = "ISP_ASSISTANT_CLEANUP_TEMP"
CLEANUP_LOCAL_APP_DATA_VARIABLE = "ISP_ASSISTANT_CLEANUP_LOCAL_APP_DATA"

WILDCARD = "*"  # stands for any one real directory, e.g. each browser profile


class Browser(StrEnum):
    CHROME = "chrome"
    CHROMIUM = "chromium"
    EDGE = "edge"
    FIREFOX = "firefox"
    SAFARI = "safari"

    @property
    def display_name(self) -> str:
        return _DISPLAY_NAMES[self]


_DISPLAY_NAMES = {
    Browser.CHROME: "Google Chrome",
    Browser.CHROMIUM: "Chromium",
    Browser.EDGE: "Microsoft Edge",
    Browser.FIREFOX: "Firefox",
    Browser.SAFARI: "Safari",
}


class RootKind(StrEnum):
    TEMP_FILES = "temp_files"
    THUMBNAILS = "thumbnails"
    BROWSER_CACHE = "browser_cache"


class Anchor(StrEnum):
    HOME = "home"
    TEMP = "temp"
    LOCAL_APP_DATA = "local_app_data"


@dataclass(frozen=True)
class RootSpec:
    key: str
    kind: RootKind
    anchor: Anchor
    parts: tuple[str, ...]  # below the anchor; WILDCARD matches one directory level
    browser: Browser | None = None
    # Files changed more recently than this stay, on top of the cleaner's general minimum:
    # a shared temp folder keeps a day, since programs leave files there while running.
    min_age: timedelta = timedelta(0)


@dataclass(frozen=True)
class Locations:
    home: Path
    temp: Path
    local_app_data: Path | None = None

    def anchor_path(self, anchor: Anchor) -> Path | None:
        return {
            Anchor.HOME: self.home,
            Anchor.TEMP: self.temp,
            Anchor.LOCAL_APP_DATA: self.local_app_data,
        }[anchor]


@dataclass(frozen=True)
class Platform:
    """What one OS module provides."""

    roots: tuple[RootSpec, ...]
    browser_processes: Mapping[Browser, frozenset[str]]  # lower-case process names
    module: ModuleType

    def default_locations(self) -> Locations:
        return self.module.default_locations()


def _backend() -> ModuleType:
    if sys.platform.startswith("win"):
        from assistant.premium.cleanup import _windows as backend
    elif sys.platform == "darwin":
        from assistant.premium.cleanup import _macos as backend
    else:
        from assistant.premium.cleanup import _linux as backend
    return backend


def platform_from(module: ModuleType) -> Platform:
    return Platform(roots=module.ROOTS, browser_processes=module.BROWSER_PROCESSES, module=module)


def current_platform() -> Platform:
    return platform_from(_backend())


def configured_locations(platform: Platform, environ: Mapping[str, str] = os.environ) -> Locations:
    """The platform's own folders, each replaced by its environment variable when set."""

    def chosen(variable: str, default: Path | None) -> Path | None:
        value = environ.get(variable)
        return Path(value).expanduser() if value else default

    found = platform.default_locations()
    return Locations(
        home=chosen(CLEANUP_HOME_VARIABLE, found.home),
        temp=chosen(CLEANUP_TEMP_VARIABLE, found.temp),
        local_app_data=chosen(CLEANUP_LOCAL_APP_DATA_VARIABLE, found.local_app_data),
    )
