"""What Linux and macOS answer the same way: resolver configuration, the user's rights."""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

from assistant.diagnostics.errors import AccessDenied, Unknown
from assistant.diagnostics.texts import N_

# Members of these groups may act as administrator (sudo on Debian/Ubuntu, wheel on
# Fedora, admin on macOS).
ADMIN_GROUPS = frozenset({"sudo", "wheel", "admin"})


def parse_resolv_conf(text: str) -> list[str]:
    servers = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] == "nameserver":
            servers.append(parts[1])
    return servers


def read_text(path: Path) -> str:
    """A configuration file's text; unreadable files become `Unknown` with the reason."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except PermissionError as err:
        raise AccessDenied(
            N_("Reading {path} needs administrator rights."), path=str(path)
        ) from err
    except OSError as err:
        raise Unknown(
            N_("{path} could not be read: {error}"), path=str(path), error=str(err.strerror or err)
        ) from err


def current_user() -> tuple[str, int]:
    uid = os.getuid()
    try:
        return pwd.getpwuid(uid).pw_name, uid
    except KeyError:
        return str(uid), uid


def group_names() -> set[str]:
    names = set()
    for gid in {*os.getgroups(), os.getgid()}:
        try:
            names.add(grp.getgrgid(gid).gr_name)
        except KeyError:
            continue
    return names


def is_admin(uid: int, groups: set[str]) -> bool:
    return uid == 0 or bool(groups & ADMIN_GROUPS)
