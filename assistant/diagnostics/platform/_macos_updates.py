"""Reading ``softwareupdate -l``, in the format up to macOS 10.14 and the one since 10.15.

Up to 10.14 each update is a "* label" line and then "Title (version), 12345K
[recommended] [restart]"; since 10.15 "* Label: label" and then "Title: ..., Version: ...,
Size: ..., Recommended: YES, Action: restart,". Beside the updates of the installed
system the list offers the next major macOS and, to Macs in a seed programme, betas:
both are optional, so neither counts as a pending (security) update nor as a restart.
"""

from __future__ import annotations

import re

from isp_common.diagnostics.facts import PendingUpdate

_LABEL = re.compile(r"^\s*[*-] (?:Label: )?(?P<label>.+?)\s*$")
# "Command Line Tools (macOS Mojave version 10.14) for Xcode (10.3), 199250K [recommended]":
# the version is the last parenthesis before the size.
_OLD_DETAILS = re.compile(r"^\s*(?P<title>.+?)\s*\((?P<version>[^()]*)\),\s*\d+K(?P<flags>.*)$")
# "Title: Safari, Version: 17.0, Size: 161835KiB, Recommended: YES, Action: restart,"
_FIELD_START = re.compile(r",\s*(?=[A-Z][A-Za-z ]*:\s)")
_SYSTEM = re.compile(r"(macOS|OS X|Mac OS X)\b")


def _new_details(line: str) -> tuple[str, str | None, bool]:
    fields = {}
    for part in _FIELD_START.split(line.strip().rstrip(",").strip()):
        key, _, value = part.partition(":")
        fields[key.strip().lower()] = value.strip().rstrip(",").strip()
    restart = fields.get("action", "").lower() in {"restart", "shut down"}
    return fields.get("title", ""), fields.get("version") or None, restart


def _old_details(line: str) -> tuple[str, str | None, bool]:
    match = _OLD_DETAILS.match(line)
    if match is None:  # no "(version), size": keep the line as the name
        return line.strip(), None, "[restart]" in line.lower()
    flags = match.group("flags").lower()
    version = match.group("version").strip() or None
    restart = "[restart]" in flags or "[shut down]" in flags
    return match.group("title").rstrip(", "), version, restart


def _major(version: str | None) -> tuple[int, ...] | None:
    """10.14.6 -> (10, 14): before macOS 11 the second number named the major release."""
    numbers = [int(n) for n in re.findall(r"\d+", version or "")[:2]]
    if not numbers:
        return None
    return tuple(numbers[:2]) if numbers[0] == 10 else (numbers[0],)


def _entries(text: str) -> list[tuple[str, str, str | None, bool]]:
    """(label, title, version, needs restart) per update."""
    entries = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        label = _LABEL.match(line)
        if label is None or index + 1 >= len(lines):
            continue
        details = lines[index + 1]
        if details.strip().startswith("Title:"):
            title, version, restart = _new_details(details)
        else:
            title, version, restart = _old_details(details)
        entries.append((label.group("label"), title, version, restart))
    return entries


def parse_softwareupdate(
    text: str, current_version: str | None
) -> tuple[list[PendingUpdate], bool]:
    """The updates on offer and whether installing the pending ones needs a restart.

    ``current_version`` (from ``sw_vers``) tells an update of this macOS from the next
    major one; without it, of several macOS versions on offer the higher majors count
    as upgrades.
    """
    entries = _entries(text)
    systems = [_major(v or t) for _, t, v, _ in entries if _SYSTEM.match(t)]
    current = _major(current_version) or min((m for m in systems if m), default=None)
    updates, restart = [], False
    for label, title, version, needs_restart in entries:
        major = _major(version or title)
        if re.search(r"\bbeta\b", f"{title} {label}", re.IGNORECASE):
            category = "beta"
        elif _SYSTEM.match(title) and current and major and major > current:
            category = "upgrade"
        else:
            category = "update"
        # macOS itself and its security responses carry the fixes; apps rarely do alone.
        security = category == "update" and bool(_SYSTEM.match(title) or "Security" in title)
        restart = restart or (category == "update" and needs_restart)
        updates.append(
            PendingUpdate(name=title, version=version, security=security, category=category)
        )
    return updates, restart
