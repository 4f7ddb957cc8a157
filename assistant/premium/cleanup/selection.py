"""Which cleanup roots exist on this computer, and which of their files may go."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from assistant.premium.cleanup.models import SkipReason
from assistant.premium.cleanup.roots import WILDCARD, Anchor, Locations, Platform, RootSpec
from assistant.premium.cleanup.tree import Entry, EntryKind, Tree

logger = logging.getLogger(__name__)

_ENTRY_SKIPS = {
    EntryKind.SYMLINK: SkipReason.SYMBOLIC_LINK,
    EntryKind.SPECIAL: SkipReason.SPECIAL_FILE,
    EntryKind.UNREADABLE: SkipReason.NO_PERMISSION,
    EntryKind.CHANGED: SkipReason.CHANGED,
}


@dataclass(frozen=True)
class ConcreteRoot:
    """One existing root, e.g. the cache of one Firefox profile."""

    spec: RootSpec
    anchor: Path  # resolved
    parts: tuple[str, ...]  # below the anchor, wildcards filled in

    @property
    def root_id(self) -> str:
        chosen = [
            p for p, pattern in zip(self.parts, self.spec.parts, strict=True) if pattern == WILDCARD
        ]
        return ":".join([self.spec.key, *chosen])

    @property
    def location(self) -> str:
        base = {Anchor.HOME: "~", Anchor.LOCAL_APP_DATA: "%LOCALAPPDATA%"}.get(self.spec.anchor)
        return os.path.join(base or str(self.anchor), *self.parts)

    @property
    def browser_name(self) -> str | None:
        return self.spec.browser.display_name if self.spec.browser else None


def concrete_roots(platform: Platform, locations: Locations, tree: Tree) -> Iterator[ConcreteRoot]:
    for spec in platform.roots:
        configured = locations.anchor_path(spec.anchor)
        if configured is None:
            continue
        # The anchor itself may be a link (macOS: /var -> /private/var); below it no link
        # is ever followed.
        anchor = Path(os.path.realpath(configured))
        if not anchor.is_dir():
            continue
        for parts in _expand(tree, anchor, spec.parts):
            if _contained(anchor, parts):
                yield ConcreteRoot(spec, anchor, parts)


def _expand(tree: Tree, anchor: Path, pattern: tuple[str, ...]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [()]
    for part in pattern:
        expanded: list[tuple[str, ...]] = []
        for prefix in found:
            if part != WILDCARD:
                expanded.append((*prefix, part))
                continue
            try:
                handle = tree.open_root(anchor, prefix)
            except OSError:
                continue
            try:
                expanded.extend((*prefix, name) for name in handle.subdirectories(()))
            finally:
                handle.close()
        found = expanded
    return found


def _contained(anchor: Path, parts: tuple[str, ...]) -> bool:
    """The root exists and is reached from the anchor without any link on the way."""
    path = anchor.joinpath(*parts)
    if not path.is_dir():
        return False
    if os.path.normcase(os.path.realpath(path)) != os.path.normcase(str(path)):
        logger.warning("cleanup leaves %s alone: it leads through a link", path)
        return False
    return True


class FileRules:
    """Why a file must stay: a link, someone else's, open in a program, changed recently."""

    def __init__(self, *, recently_modified: timedelta, owner_uid: int | None) -> None:
        self.recently_modified = recently_modified
        self.owner_uid = owner_uid

    def judge(
        self, entry: Entry, spec: RootSpec, open_ids: set[tuple[int, int]], now: datetime
    ) -> SkipReason | None:
        """The reason it stays, or None if it may be deleted."""
        if entry.kind is not EntryKind.FILE:
            return _ENTRY_SKIPS[entry.kind]
        if self.owner_uid is not None and entry.uid is not None and entry.uid != self.owner_uid:
            return SkipReason.NOT_OWNED
        if entry.file_id in open_ids:
            return SkipReason.IN_USE
        min_age = max(self.recently_modified, spec.min_age)
        # A time in the future counts as recent too: the clock may have been wrong.
        if entry.mtime > (now - min_age).timestamp():
            return SkipReason.RECENTLY_MODIFIED
        return None
