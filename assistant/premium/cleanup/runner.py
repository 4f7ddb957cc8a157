"""Cleanup for the window: one at a time, deleting in a thread of its own while the page
reads the progress, then the report.

    runner = CleanupRunner(cleaner)
    preview = runner.preview()
    runner.start(preview.preview_id, root_ids)   # returns once deleting has begun
    runner.progress()                            # CleanupState: running, done or failed
    runner.report()                              # the last run's report

`start` raises what `Cleaner.run` raises before it deletes anything (FeatureLocked,
PreviewNotFound, UnknownCleanupRoot), so the caller hears it at once; CleanupRunning while
another run is going.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.premium.cleanup.cleaner import Cleaner
from assistant.premium.cleanup.models import CleanupPreview, CleanupProgress, CleanupReport
from assistant.premium.errors import CleanupRunning

logger = logging.getLogger(__name__)


class RunState(StrEnum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class CleanupState:
    state: RunState
    progress: CleanupProgress | None


class CleanupRunner:
    def __init__(self, cleaner: Cleaner) -> None:
        self._cleaner = cleaner
        self._lock = threading.Lock()
        self._state = RunState.IDLE
        self._progress: CleanupProgress | None = None
        self._report: CleanupReport | None = None

    def preview(self) -> CleanupPreview:
        return self._cleaner.preview()

    def start(self, preview_id: str, root_ids: Sequence[str]) -> None:
        with self._lock:
            if self._state is RunState.RUNNING:
                raise CleanupRunning("a run is going")
            self._state, self._progress, self._report = RunState.RUNNING, None, None
        begun = threading.Event()
        failure: list[BaseException] = []

        def on_progress(progress: CleanupProgress) -> None:
            self._progress = progress
            begun.set()

        def work() -> None:
            try:
                report = self._cleaner.run(preview_id, list(root_ids), progress=on_progress)
            except Exception as error:
                if begun.is_set():
                    logger.exception("cleanup stopped while deleting")
                failure.append(error)
                with self._lock:
                    self._state = RunState.FAILED
                begun.set()
                return
            with self._lock:
                self._report, self._state = report, RunState.DONE

        threading.Thread(target=work, name="cleanup", daemon=True).start()
        begun.wait()
        if failure and self._progress is None:
            with self._lock:
                self._state = RunState.IDLE
            raise failure[0]

    def progress(self) -> CleanupState:
        with self._lock:
            return CleanupState(self._state, self._progress)

    def report(self) -> CleanupReport | None:
        with self._lock:
            return self._report
