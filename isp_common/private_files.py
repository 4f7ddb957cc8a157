"""Files only their owner may read: keys and unlock state, on the server and the desktop.

Directories get mode 0700 and files 0600. A file or directory found with wider permissions
is narrowed and the fact is logged, since it means someone (or some backup tool) changed it.
Files are written atomically (a temporary file renamed into place), so a crash never leaves
half a key behind. Links are not followed when reading. On Windows the POSIX modes mean
little (the user's profile directory is private there already), so they are left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def ensure_private_dir(path: Path, *, logger: logging.Logger) -> Path:
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if _POSIX:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            logger.warning(
                "%s was readable by others (mode %o); restricted it to its owner", path, mode
            )
            path.chmod(0o700)
    return path


def read_private_file(path: Path, *, logger: logging.Logger) -> bytes:
    """The file's bytes; raises FileNotFoundError if missing, OSError if it is a link."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _BINARY | _CLOEXEC)
    try:
        if _POSIX:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
            if mode & 0o077:
                logger.warning(
                    "%s was readable by others (mode %o); restricted it to its owner", path, mode
                )
                os.fchmod(fd, 0o600)
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _write_temporary(directory: Path, data: bytes) -> Path:
    temporary = directory / f".{secrets.token_hex(8)}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY | _CLOEXEC, 0o600)
    try:
        if _POSIX:
            os.fchmod(fd, 0o600)  # the umask could only narrow it; say it explicitly anyway
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    return temporary


def write_private_file(path: Path, data: bytes) -> None:
    """Write (or replace) the file atomically with owner-only permissions."""
    path = Path(path)
    temporary = _write_temporary(path.parent, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def create_private_file(path: Path, data: bytes) -> bool:
    """Create the file atomically unless it exists; False if another process was first.

    Used for keys made at first start: two processes starting at once must end up with the
    same key, never each with its own.
    """
    path = Path(path)
    temporary = _write_temporary(path.parent, data)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    return True
