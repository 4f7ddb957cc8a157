"""The current diagnostics run, as the page sees it: results arrive one by one, listeners
(the page's event stream) wait for the next change, the finished report goes to history.

Everything here runs on the local server's event loop; only `close_threadsafe` may be
called from other threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from isp_common.diagnostics.report import CheckResult, DiagnosticsReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckInfo:
    """One entry of the check catalogue, as the dashboard lists it before it has run."""

    id: str
    category: str
    premium: bool
    title: str
    description: str = ""


# Runs the given checks, calling `on_result` as each one finishes; returns the report.
Runner = Callable[[Sequence[str], Callable[[CheckResult], None]], Awaitable[DiagnosticsReport]]


@dataclass
class Run:
    number: int
    check_ids: tuple[str, ...]
    started_at: datetime
    results: dict[str, CheckResult] = field(default_factory=dict)
    arrival: list[str] = field(default_factory=list)
    """Check ids in the order their results came in; listeners remember how far they read."""
    report: DiagnosticsReport | None = None
    failed: bool = False

    @property
    def finished(self) -> bool:
        return self.report is not None or self.failed


class RunBoard:
    def __init__(
        self,
        *,
        catalogue: Sequence[CheckInfo],
        runner: Runner,
        check_allowed: Callable[[CheckInfo], bool],
        on_finished: Callable[[DiagnosticsReport], Awaitable[None] | None] | None = None,
    ) -> None:
        self.catalogue = list(catalogue)
        self.runner = runner
        self.check_allowed = check_allowed
        self.on_finished = on_finished
        self.run: Run | None = None
        self.closing = False
        self._changed = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._again = False
        self._loop: asyncio.AbstractEventLoop | None = None

    def visible_checks(self) -> list[CheckInfo]:
        return list(self.catalogue)

    def runnable_ids(self) -> tuple[str, ...]:
        # Premium checks do not even run while locked: their results cannot leak.
        return tuple(
            info.id for info in self.catalogue if not info.premium or self.check_allowed(info)
        )

    def start(self, *, or_after_current: bool = False) -> bool:
        """Starts a new run unless one is going; True if it started.

        With `or_after_current`, a run that is going is followed by a fresh one (used when
        the language changes mid-run: the findings must be worded in the new language).
        """
        if self.run is not None and not self.run.finished:
            self._again = self._again or or_after_current
            return False
        self._loop = asyncio.get_running_loop()
        self._again = False
        number = self.run.number + 1 if self.run else 1
        self.run = Run(number=number, check_ids=self.runnable_ids(), started_at=_now())
        self._task = asyncio.create_task(self._execute(self.run), name=f"diagnostics-run-{number}")
        self._notify()
        return True

    async def _execute(self, run: Run) -> None:
        def on_result(result: CheckResult) -> None:
            if result.check_id in run.check_ids and result.check_id not in run.results:
                run.results[result.check_id] = result
                run.arrival.append(result.check_id)
                self._notify()

        try:
            report = await self.runner(run.check_ids, on_result)
        except Exception:
            log.exception("diagnostics run %s failed", run.number)
            run.failed = True
            self._notify()
            return
        for result in report.checks:  # a runner that reports only at the end still shows
            on_result(result)
        run.report = report
        self._notify()
        if self._again and not self.closing:
            self._again = False
            self.start()
        if self.on_finished is not None:
            try:
                outcome = self.on_finished(report)
                if asyncio.iscoroutine(outcome):
                    await outcome
            except Exception:
                log.exception("storing the report of run %s failed", run.number)

    def premium_changed(self) -> None:
        """What premium allows changed (an unlock, a sign-in, a sign-out): listeners send a
        fresh snapshot, and the checks run again so newly unlocked ones show at once."""
        self._notify()
        if not self.closing:
            self.start(or_after_current=True)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """The event loop the board lives on (the local server's), for calls from threads."""
        self._loop = loop

    def close_threadsafe(self) -> None:
        """`close` from another thread, e.g. the one stopping the server."""
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop may be closing already
                self._loop.call_soon_threadsafe(self.close)

    async def wait_for_change(self, timeout: float) -> bool:
        """Waits until something changes; False when the timeout passed first."""
        changed = self._changed
        try:
            await asyncio.wait_for(changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        """Ends every listener's wait (the server is stopping) and cuts a running run."""
        self.closing = True
        self._notify()
        if self._task is not None and not self._task.done():
            self._task.cancel()


def _now() -> datetime:
    return datetime.now(UTC)
