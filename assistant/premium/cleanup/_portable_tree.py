"""Walking and deleting inside one cleanup root by path, where `dir_fd` is missing (Windows).

Before every deletion each folder between the root and the file is checked with `lstat`:
no symbolic link, no junction or other reparse point, the same folder the root started
as. This leaves a short race between the check and the deletion that `DirFdTree` does not
have; only a program of the same user could use it, and that program could delete the
user's files directly anyway.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from assistant.premium.cleanup.tree import Entry, EntryKind, Lookup, _check_name, entry_from_stat

_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)


def _is_plain_dir(status: os.stat_result) -> bool:
    reparse = getattr(status, "st_file_attributes", 0) & _REPARSE_POINT
    return stat.S_ISDIR(status.st_mode) and not stat.S_ISLNK(status.st_mode) and not reparse


def _is_link(status: os.stat_result) -> bool:
    reparse = getattr(status, "st_file_attributes", 0) & _REPARSE_POINT
    return stat.S_ISLNK(status.st_mode) or bool(reparse)


class PortableTree:
    def open_root(self, anchor: Path, parts: tuple[str, ...]) -> PortableRoot:
        path = Path(anchor)
        for part in parts:
            path = path / _check_name(part)
            if not _is_plain_dir(os.lstat(path)):
                raise NotADirectoryError(f"{path} is a link or not a folder")
        return PortableRoot(path)


class PortableRoot:
    def __init__(self, path: Path) -> None:
        self._path = path
        status = os.stat(path)
        self.identity = (status.st_dev, status.st_ino)

    def _join(self, rel: tuple[str, ...]) -> Path:
        return self._path.joinpath(*(_check_name(part) for part in rel))

    def _folders_unchanged(self, rel: tuple[str, ...]) -> bool:
        status = os.lstat(self._path)
        if not _is_plain_dir(status) or (status.st_dev, status.st_ino) != self.identity:
            return False
        path = self._path
        for part in rel:
            path = path / _check_name(part)
            if not _is_plain_dir(os.lstat(path)):
                return False
        return True

    def subdirectories(self, rel: tuple[str, ...]) -> list[str]:
        if not self._folders_unchanged(rel):
            raise NotADirectoryError("the folder changed")
        with os.scandir(self._join(rel)) as entries:
            return sorted(
                entry.name for entry in entries if _is_plain_dir(entry.stat(follow_symlinks=False))
            )

    def scan(self) -> Iterator[Entry]:
        device = self.identity[0]
        stack: list[tuple[str, ...]] = [()]
        while stack:
            rel = stack.pop()
            try:
                if not self._folders_unchanged(rel):
                    yield Entry(rel, EntryKind.CHANGED)
                    continue
                with os.scandir(self._join(rel)) as iterator:
                    names = sorted(entry.name for entry in iterator)
            except OSError:
                yield Entry(rel, EntryKind.UNREADABLE)
                continue
            for name in names:
                path = (*rel, _check_name(name))
                try:
                    status = os.lstat(self._join(path))
                except FileNotFoundError:
                    continue
                except OSError:
                    yield Entry(path, EntryKind.UNREADABLE)
                    continue
                if _is_link(status):
                    yield Entry(path, EntryKind.SYMLINK)
                elif stat.S_ISREG(status.st_mode):
                    yield entry_from_stat(path, status)
                elif stat.S_ISDIR(status.st_mode) and status.st_dev == device:
                    stack.append(path)
                else:
                    yield Entry(path, EntryKind.SPECIAL)

    def lstat(self, rel: tuple[str, ...]) -> os.stat_result | Lookup:
        try:
            if not self._folders_unchanged(rel[:-1]):
                return Lookup.CHANGED
            return os.lstat(self._join(rel))
        except FileNotFoundError:
            return Lookup.GONE

    def unlink(self, rel: tuple[str, ...]) -> None:
        if not self._folders_unchanged(rel[:-1]):
            raise NotADirectoryError("the folder changed")
        os.unlink(self._join(rel))

    def close(self) -> None:
        pass
