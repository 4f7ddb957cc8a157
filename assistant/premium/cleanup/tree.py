"""Walking and deleting inside one cleanup root without ever leaving it.

Everything below the anchor (home, temp folder) is reached by names relative to an open
directory: `os.open(name, O_DIRECTORY | O_NOFOLLOW, dir_fd=parent)`, `os.scandir(fd)`,
`os.stat(name, dir_fd=..., follow_symlinks=False)`, `os.unlink(name, dir_fd=...)`. A
symbolic link is never followed, so a link planted in a cache, or a directory swapped for
a link while the cleanup runs, cannot send a deletion anywhere else: opening it fails, and
the file is skipped. Subdirectories on another file system are not entered.

Windows has no `dir_fd`; `PortableTree` (in `_portable_tree.py`) does the same checks by
path there, with the small race a path check leaves. `default_tree()` picks once.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# What opening a directory that turned into a link or a file answers.
_REPLACED = {errno.ELOOP, errno.ENOTDIR, errno.EMLINK}


class EntryKind(StrEnum):
    FILE = "file"
    SYMLINK = "symlink"
    SPECIAL = "special"  # a device, pipe or socket, or a folder on another file system
    UNREADABLE = "unreadable"
    CHANGED = "changed"  # replaced while we looked


class Lookup(StrEnum):
    GONE = "gone"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Entry:
    rel: tuple[str, ...]
    kind: EntryKind
    size: int = 0
    mtime: float = 0.0
    uid: int | None = None
    file_id: tuple[int, int] = (0, 0)


def entry_from_stat(rel: tuple[str, ...], status: os.stat_result) -> Entry:
    return Entry(
        rel,
        EntryKind.FILE,
        size=status.st_size,
        mtime=status.st_mtime,
        uid=getattr(status, "st_uid", None),
        file_id=(status.st_dev, status.st_ino),
    )


class RootHandle(Protocol):
    """One open cleanup root; every path is a tuple of names below it."""

    identity: tuple[int, int]

    def subdirectories(self, rel: tuple[str, ...]) -> list[str]: ...
    def scan(self) -> Iterator[Entry]: ...
    def lstat(self, rel: tuple[str, ...]) -> os.stat_result | Lookup: ...
    def unlink(self, rel: tuple[str, ...]) -> None: ...
    def close(self) -> None: ...


class Tree(Protocol):
    def open_root(self, anchor: Path, parts: tuple[str, ...]) -> RootHandle:
        """The root below the (already resolved) anchor; OSError if missing or a link."""
        ...


def _check_name(name: str) -> str:
    # Names come from the OS or from our own allow-list, never from a request; this only
    # states the invariant the relative operations rely on.
    if name in ("", ".", "..") or "/" in name or os.sep in name:
        raise ValueError(f"not a single path component: {name!r}")
    return name


class DirFdTree:
    def open_root(self, anchor: Path, parts: tuple[str, ...]) -> DirFdRoot:
        fd = os.open(
            anchor, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        )
        try:
            for part in parts:
                child = os.open(_check_name(part), _DIR_FLAGS, dir_fd=fd)
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return DirFdRoot(fd)


class DirFdRoot:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        status = os.fstat(fd)
        self.identity = (status.st_dev, status.st_ino)

    def subdirectories(self, rel: tuple[str, ...]) -> list[str]:
        fd = self._open_dir(rel)
        try:
            with os.scandir(fd) as entries:
                return sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
        finally:
            if fd != self._fd:
                os.close(fd)

    def scan(self) -> Iterator[Entry]:
        device = self.identity[0]
        stack: list[tuple[tuple[str, ...], int]] = [((), os.dup(self._fd))]
        try:
            while stack:
                rel, fd = stack.pop()
                try:
                    yield from self._scan_one(rel, fd, device, stack)
                finally:
                    os.close(fd)
        finally:
            for _rel, fd in stack:
                os.close(fd)

    def _scan_one(
        self, rel: tuple[str, ...], fd: int, device: int, stack: list[tuple[tuple[str, ...], int]]
    ) -> Iterator[Entry]:
        try:
            with os.scandir(fd) as iterator:
                entries = sorted(iterator, key=lambda e: e.name)
        except OSError:
            yield Entry(rel, EntryKind.UNREADABLE)
            return
        for entry in entries:
            path = (*rel, _check_name(entry.name))
            try:
                status = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            except OSError:
                yield Entry(path, EntryKind.UNREADABLE)
                continue
            mode = status.st_mode
            if stat.S_ISLNK(mode):
                yield Entry(path, EntryKind.SYMLINK)
            elif stat.S_ISREG(mode):
                yield entry_from_stat(path, status)
            elif not stat.S_ISDIR(mode) or status.st_dev != device:
                yield Entry(path, EntryKind.SPECIAL)
            else:
                try:
                    child = os.open(entry.name, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    continue
                except OSError as error:
                    replaced = error.errno in _REPLACED
                    yield Entry(path, EntryKind.CHANGED if replaced else EntryKind.UNREADABLE)
                    continue
                opened = os.fstat(child)
                if (opened.st_dev, opened.st_ino) != (status.st_dev, status.st_ino):
                    os.close(child)
                    yield Entry(path, EntryKind.CHANGED)
                    continue
                stack.append((path, child))

    def lstat(self, rel: tuple[str, ...]) -> os.stat_result | Lookup:
        try:
            with self._directory(rel[:-1]) as fd:
                return os.stat(_check_name(rel[-1]), dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return Lookup.GONE
        except OSError as error:
            if error.errno in _REPLACED:
                return Lookup.CHANGED
            raise

    def unlink(self, rel: tuple[str, ...]) -> None:
        with self._directory(rel[:-1]) as fd:
            os.unlink(_check_name(rel[-1]), dir_fd=fd)

    @contextlib.contextmanager
    def _directory(self, rel: tuple[str, ...]) -> Iterator[int]:
        # Opened afresh for every file, never cached: a folder moved away between two files
        # must not take the following deletions with it.
        fd = self._open_dir(rel)
        try:
            yield fd
        finally:
            if fd != self._fd:
                os.close(fd)

    def _open_dir(self, rel: tuple[str, ...]) -> int:
        fd = self._fd
        try:
            for part in rel:
                child = os.open(_check_name(part), _DIR_FLAGS, dir_fd=fd)
                if fd != self._fd:
                    os.close(fd)
                fd = child
        except BaseException:
            if fd != self._fd:
                os.close(fd)
            raise
        return fd

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def dir_fd_supported() -> bool:
    return (
        os.open in os.supports_dir_fd
        and os.unlink in os.supports_dir_fd
        and os.stat in os.supports_dir_fd
        and os.scandir in os.supports_fd
        and hasattr(os, "O_NOFOLLOW")
        and hasattr(os, "O_DIRECTORY")
    )


def default_tree() -> Tree:
    if dir_fd_supported():
        return DirFdTree()
    from assistant.premium.cleanup._portable_tree import PortableTree

    return PortableTree()
