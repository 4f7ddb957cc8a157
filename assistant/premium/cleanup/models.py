"""What cleanup shows and returns: the preview before, progress during, the report after.

Reasons and statuses are stable codes; `assistant.premium.texts` turns them into German or
English sentences for the customer.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, computed_field

from assistant.premium.cleanup.roots import RootKind


class SkipReason(StrEnum):
    IN_USE = "in_use"
    RECENTLY_MODIFIED = "recently_modified"
    SYMBOLIC_LINK = "symbolic_link"
    NOT_OWNED = "not_owned"
    SPECIAL_FILE = "special_file"
    CHANGED = "changed"
    NO_PERMISSION = "no_permission"


class RootStatus(StrEnum):
    READY = "ready"  # preview: will be cleaned when confirmed
    BROWSER_RUNNING = "browser_running"  # left alone: the browser is open
    CLEANED = "cleaned"  # report: done
    CHANGED = "changed"  # report: the folder was replaced or removed since the preview


class RootPreview(BaseModel):
    model_config = ConfigDict(frozen=True)

    root_id: str
    kind: RootKind
    browser: str | None  # display name, e.g. "Firefox"
    location: str  # for people, e.g. "~/.cache/mozilla/firefox/ab12.default/cache2"
    status: RootStatus
    file_count: int
    total_bytes: int
    skipped_count: int
    skipped_by_reason: dict[SkipReason, int]


class CleanupPreview(BaseModel):
    model_config = ConfigDict(frozen=True)

    preview_id: str
    created_at: datetime
    expires_at: datetime
    roots: tuple[RootPreview, ...]

    @computed_field
    @property
    def file_count(self) -> int:
        return sum(root.file_count for root in self.roots)

    @computed_field
    @property
    def total_bytes(self) -> int:
        return sum(root.total_bytes for root in self.roots)


class SkippedFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    root_id: str
    path: str  # relative to its root
    reason: SkipReason


class CleanupProgress(BaseModel):
    model_config = ConfigDict(frozen=True)

    files_done: int
    files_total: int
    bytes_freed: int


class RootReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    root_id: str
    kind: RootKind
    browser: str | None
    location: str
    status: RootStatus
    deleted_count: int
    freed_bytes: int
    skipped_count: int


class CleanupReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    preview_id: str
    started_at: datetime
    finished_at: datetime
    roots: tuple[RootReport, ...]
    skipped: tuple[SkippedFile, ...]  # the first ones, with their reasons
    skipped_count: int  # all of them, listed or not

    @computed_field
    @property
    def freed_bytes(self) -> int:
        return sum(root.freed_bytes for root in self.roots)

    @computed_field
    @property
    def deleted_count(self) -> int:
        return sum(root.deleted_count for root in self.roots)
