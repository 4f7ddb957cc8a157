"""What the user's running programs hold: which browsers are open, which files are open.

A browser writes its cache while it runs, so its cache is left alone until it is closed;
a file another program has open may be in use and is skipped. Only the current user's
processes count: another user's browser has its own cache.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

import psutil

from assistant.premium.cleanup.roots import Browser

_GONE = (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess)


class UserProcesses:
    """The processes of one user (default: the one running the assistant), through psutil."""

    def __init__(self, *, username: str | None = None) -> None:
        self.username = username or psutil.Process().username()

    def _own(self) -> Iterator[psutil.Process]:
        for process in psutil.process_iter(["name", "username"]):
            if process.info.get("username") == self.username:
                yield process

    def names(self) -> set[str]:
        return {(p.info.get("name") or "").lower() for p in self._own()} - {""}

    def open_file_ids(self) -> set[tuple[int, int]]:
        """(device, inode) of every regular file the user's processes have open."""
        ids: set[tuple[int, int]] = set()
        for process in self._own():
            try:
                files = process.open_files()
            except (*_GONE, OSError):
                continue
            for opened in files:
                with contextlib.suppress(OSError):
                    status = os.stat(opened.path)
                    ids.add((status.st_dev, status.st_ino))
        return ids


def running_browsers(
    process_names: set[str], browser_processes: Mapping[Browser, frozenset[str]]
) -> set[Browser]:
    return {browser for browser, names in browser_processes.items() if names & process_names}
