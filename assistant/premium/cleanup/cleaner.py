"""Premium cleanup: preview what can go, delete it once the customer agrees, report.

`preview()` scans the allow-listed roots of this OS and keeps the plan (every file with its
identity) under the preview's id. `run(preview_id, root_ids)` takes back only that id and
root ids from it, never a path, and deletes only files of the plan, each checked again just
before: still the same file, not open in a program, not changed in the last minutes, owned
by the user. A root whose browser is running is left alone and named. Nothing is followed
through a symbolic link (see tree.py), so nothing outside the roots can be deleted.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from assistant.premium.cleanup.models import (
    CleanupPreview,
    CleanupProgress,
    CleanupReport,
    RootPreview,
    RootReport,
    RootStatus,
    SkippedFile,
    SkipReason,
)
from assistant.premium.cleanup.processes import UserProcesses, running_browsers
from assistant.premium.cleanup.roots import Browser, Locations, Platform, current_platform
from assistant.premium.cleanup.selection import ConcreteRoot, FileRules, concrete_roots
from assistant.premium.cleanup.tree import Lookup, RootHandle, Tree, default_tree, entry_from_stat
from assistant.premium.errors import PreviewNotFound, UnknownCleanupRoot
from isp_common.clock import Clock, utc_now

logger = logging.getLogger(__name__)

FEATURE_ID = "cleanup"
RECENTLY_MODIFIED = timedelta(minutes=10)  # a file changed since then may be in use
PREVIEW_LIFETIME = timedelta(minutes=30)
MAX_PREVIEWS = 4
MAX_LISTED_SKIPS = 200

ProgressCallback = Callable[[CleanupProgress], None]

_IN_USE_ERRNOS = {errno.EBUSY, errno.ETXTBSY}
_IN_USE_WINERRORS = {32, 33}  # sharing and lock violations
_REPLACED_ERRNOS = {errno.ELOOP, errno.ENOTDIR}


class Gate(Protocol):
    def require(self, feature_id: str) -> object: ...


class Processes(Protocol):
    def names(self) -> set[str]: ...
    def open_file_ids(self) -> set[tuple[int, int]]: ...


@dataclass(frozen=True, slots=True)
class _PlannedFile:
    rel: tuple[str, ...]
    file_id: tuple[int, int]


@dataclass
class _PlannedRoot:
    root: ConcreteRoot
    preview: RootPreview
    identity: tuple[int, int] | None = None
    files: list[_PlannedFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)  # at the preview, listed ones


@dataclass
class _Plan:
    preview: CleanupPreview
    roots: dict[str, _PlannedRoot]


class _Tally:
    """Progress and skipped files of one run; progress only ever grows, up to the total."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.done = 0
        self.freed = 0
        self.skipped: list[SkippedFile] = []
        self.skipped_count = 0
        self._callback = callback
        self._announce()

    def advance(self, files: int, freed: int = 0) -> None:
        self.done += files
        self.freed += freed
        self._announce()

    def skip(self, listed: Sequence[SkippedFile], count: int) -> None:
        """`count` files stay; `listed` names the first of them."""
        self.skipped_count += count
        room = max(MAX_LISTED_SKIPS - len(self.skipped), 0)
        self.skipped.extend(listed[:room])

    def _announce(self) -> None:
        if self._callback is not None:
            progress = CleanupProgress(
                files_done=self.done, files_total=self.total, bytes_freed=self.freed
            )
            self._callback(progress)


def _current_uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


class Cleaner:
    def __init__(
        self,
        *,
        gate: Gate,
        locations: Locations | None = None,
        platform: Platform | None = None,
        processes: Processes | None = None,
        tree: Tree | None = None,
        clock: Clock = utc_now,
        recently_modified: timedelta = RECENTLY_MODIFIED,
        owner_uid: int | None = _current_uid(),
        preview_lifetime: timedelta = PREVIEW_LIFETIME,
    ) -> None:
        self._gate = gate
        self._platform = platform or current_platform()
        self._locations = locations or self._platform.default_locations()
        self._processes = processes or UserProcesses()
        self._tree = tree or default_tree()
        self._clock = clock
        self._rules = FileRules(recently_modified=recently_modified, owner_uid=owner_uid)
        self._preview_lifetime = preview_lifetime
        self._lock = threading.Lock()
        self._plans: dict[str, _Plan] = {}

    def preview(self) -> CleanupPreview:
        """What each root holds that can go: file count and bytes, and what stays and why."""
        self._gate.require(FEATURE_ID)
        now = self._clock()
        running = self._running_browsers()
        open_ids = self._processes.open_file_ids()
        roots: dict[str, _PlannedRoot] = {}
        for root in concrete_roots(self._platform, self._locations, self._tree):
            planned = self._plan_root(root, running, open_ids, now)
            if planned is not None:
                roots[root.root_id] = planned
        preview = CleanupPreview(
            preview_id=uuid.uuid4().hex,
            created_at=now,
            expires_at=now + self._preview_lifetime,
            roots=tuple(planned.preview for planned in roots.values()),
        )
        with self._lock:
            self._plans[preview.preview_id] = _Plan(preview, roots)
            while len(self._plans) > MAX_PREVIEWS:
                del self._plans[next(iter(self._plans))]
        return preview

    def run(
        self,
        preview_id: str,
        root_ids: Sequence[str] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> CleanupReport:
        """Delete what the preview showed in the confirmed roots (default: all ready ones).

        A preview is carried out once. `progress` is called at the start, after every file
        and so finally with files_done == files_total.
        """
        self._gate.require(FEATURE_ID)
        started = self._clock()
        selected = self._take_plan(preview_id, root_ids, started)
        running = self._running_browsers()
        open_ids = self._processes.open_file_ids()
        tally = _Tally(sum(len(planned.files) for planned in selected), progress)
        reports = tuple(self._clean_root(planned, running, open_ids, tally) for planned in selected)
        return CleanupReport(
            preview_id=preview_id,
            started_at=started,
            finished_at=self._clock(),
            roots=reports,
            skipped=tuple(tally.skipped),
            skipped_count=tally.skipped_count,
        )

    def _take_plan(
        self, preview_id: str, root_ids: Sequence[str] | None, now: datetime
    ) -> list[_PlannedRoot]:
        with self._lock:
            plan = self._plans.get(preview_id)
            if plan is None or now >= plan.preview.expires_at:
                self._plans.pop(preview_id, None)
                raise PreviewNotFound(f"no preview {preview_id!r}")
            if root_ids is None:
                ready = RootStatus.READY
                selected = [p for p in plan.roots.values() if p.preview.status is ready]
            else:
                unknown = [root_id for root_id in root_ids if root_id not in plan.roots]
                if unknown:
                    raise UnknownCleanupRoot(f"not in the preview: {unknown!r}")
                selected = [plan.roots[root_id] for root_id in dict.fromkeys(root_ids)]
            del self._plans[preview_id]
        return selected

    def _running_browsers(self) -> set[Browser]:
        return running_browsers(self._processes.names(), self._platform.browser_processes)

    def _plan_root(
        self,
        root: ConcreteRoot,
        running: set[Browser],
        open_ids: set[tuple[int, int]],
        now: datetime,
    ) -> _PlannedRoot | None:
        def preview(status: RootStatus, **counts) -> RootPreview:
            return RootPreview(
                root_id=root.root_id,
                kind=root.spec.kind,
                browser=root.browser_name,
                location=root.location,
                status=status,
                **counts,
            )

        if root.spec.browser in running:
            counts = {"file_count": 0, "total_bytes": 0, "skipped_count": 0}
            return _PlannedRoot(
                root, preview(RootStatus.BROWSER_RUNNING, **counts, skipped_by_reason={})
            )
        try:
            handle = self._tree.open_root(root.anchor, root.parts)
        except OSError as error:
            logger.warning("cleanup cannot open %s: %s", root.location, error)
            return None
        files: list[_PlannedFile] = []
        skipped: list[SkippedFile] = []
        by_reason: dict[SkipReason, int] = {}
        total_bytes = 0
        try:
            for entry in handle.scan():
                reason = self._rules.judge(entry, root.spec, open_ids, now)
                if reason is None:
                    files.append(_PlannedFile(entry.rel, entry.file_id))
                    total_bytes += entry.size
                    continue
                by_reason[reason] = by_reason.get(reason, 0) + 1
                if len(skipped) < MAX_LISTED_SKIPS:
                    skipped.append(
                        SkippedFile(root_id=root.root_id, path=_shown(entry.rel), reason=reason)
                    )
        finally:
            handle.close()
        summary = preview(
            RootStatus.READY,
            file_count=len(files),
            total_bytes=total_bytes,
            skipped_count=sum(by_reason.values()),
            skipped_by_reason=by_reason,
        )
        return _PlannedRoot(root, summary, handle.identity, files, skipped)

    def _clean_root(
        self,
        planned: _PlannedRoot,
        running: set[Browser],
        open_ids: set[tuple[int, int]],
        tally: _Tally,
    ) -> RootReport:
        root = planned.root
        # What the preview already left alone belongs in the report too.
        tally.skip(planned.skipped, planned.preview.skipped_count)

        def report(status: RootStatus, deleted: int = 0, freed: int = 0, skipped: int = 0):
            return RootReport(
                root_id=root.root_id,
                kind=root.spec.kind,
                browser=root.browser_name,
                location=root.location,
                status=status,
                deleted_count=deleted,
                freed_bytes=freed,
                skipped_count=planned.preview.skipped_count + skipped,
            )

        if planned.preview.status is RootStatus.BROWSER_RUNNING or root.spec.browser in running:
            tally.advance(len(planned.files))
            return report(RootStatus.BROWSER_RUNNING, skipped=len(planned.files))
        try:
            handle = self._tree.open_root(root.anchor, root.parts)
        except OSError:
            handle = None
        if handle is None or handle.identity != planned.identity:
            if handle is not None:
                handle.close()
            logger.warning("cleanup leaves %s alone: it changed", root.location)
            tally.advance(len(planned.files))
            return report(RootStatus.CHANGED, skipped=len(planned.files))
        deleted = freed = skipped = 0
        now = self._clock()
        try:
            for file in planned.files:
                reason, size = self._delete(handle, file, planned, open_ids, now)
                if reason is None:
                    deleted += size is not None
                    freed += size or 0
                else:
                    skipped += 1
                    entry = SkippedFile(root_id=root.root_id, path=_shown(file.rel), reason=reason)
                    tally.skip([entry], 1)
                tally.advance(1, size or 0)
        finally:
            handle.close()
        return report(RootStatus.CLEANED, deleted, freed, skipped)

    def _delete(
        self,
        handle: RootHandle,
        file: _PlannedFile,
        planned: _PlannedRoot,
        open_ids: set[tuple[int, int]],
        now: datetime,
    ) -> tuple[SkipReason | None, int | None]:
        """(why it stays, None) or (None, bytes freed); (None, None) if it was gone already."""
        try:
            status = handle.lstat(file.rel)
            if status is Lookup.GONE:
                return None, None
            if status is Lookup.CHANGED or not stat.S_ISREG(status.st_mode):
                return SkipReason.CHANGED, None
            if (status.st_dev, status.st_ino) != file.file_id:
                return SkipReason.CHANGED, None
            entry = entry_from_stat(file.rel, status)
            reason = self._rules.judge(entry, planned.root.spec, open_ids, now)
            if reason is not None:
                return reason, None
            handle.unlink(file.rel)
        except FileNotFoundError:
            return None, None
        except NotADirectoryError:
            return SkipReason.CHANGED, None
        except OSError as error:
            return _reason_for(error), None
        return None, status.st_size


def _reason_for(error: OSError) -> SkipReason:
    if error.errno in _REPLACED_ERRNOS:
        return SkipReason.CHANGED
    if error.errno in _IN_USE_ERRNOS or getattr(error, "winerror", None) in _IN_USE_WINERRORS:
        return SkipReason.IN_USE
    return SkipReason.NO_PERMISSION


def _shown(rel: tuple[str, ...]) -> str:
    return "/".join(rel) or "."
