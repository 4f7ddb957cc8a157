"""The run board behind the dashboard: results show one by one, premium checks do not run
while locked, "check again" never overlaps a run, and a language change mid-run is
followed by a fresh run so the findings read in the new language."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

from assistant.runs import CheckInfo, RunBoard
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    HostInfo,
)

CATALOGUE = [
    CheckInfo("internet.dns", "internet", False, "Name lookup (DNS)"),
    CheckInfo("internet.wifi", "internet", False, "Wi-Fi"),
    CheckInfo("computer.cpu", "computer", True, "Processor"),
]
HOST = HostInfo(
    hostname="pc", os_family="linux", os_name="Debian", os_version="12", machine="x86_64",
    assistant_version="0.1.0",
)  # fmt: skip


class SteppedRunner:
    """Finishes one check each time the test says so, like checks finishing over time."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, ...]] = []
        self.step = asyncio.Semaphore(0)

    async def __call__(self, check_ids, on_result):
        self.asked.append(tuple(check_ids))
        results = []
        for check_id in check_ids:
            await self.step.acquire()
            result = CheckResult(
                check_id=check_id, category=Category(check_id.split(".")[0]), premium=False,
                title=check_id, status=CheckStatus.completed, duration_ms=1.0,
            )  # fmt: skip
            results.append(result)
            on_result(result)
        return DiagnosticsReport(
            language="en", started_at=datetime.now(UTC), host=HOST, checks=results
        )


def run(scenario) -> None:
    """asyncio.run on a thread of its own: Playwright's sync API may own this thread's loop."""
    failures = []

    def target() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as err:  # handed back to the test
            failures.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), "the scenario hung"
    if failures:
        raise failures[0]


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_results_arrive_one_by_one_and_premium_checks_stay_unrun():
    async def scenario():
        runner = SteppedRunner()
        finished = []
        board = RunBoard(
            catalogue=CATALOGUE, runner=runner, check_allowed=lambda info: False,
            on_finished=finished.append,
        )  # fmt: skip
        assert board.start()
        await settle()
        assert runner.asked == [("internet.dns", "internet.wifi")]
        assert board.run.arrival == []

        runner.step.release()
        assert await board.wait_for_change(5)
        assert board.run.arrival == ["internet.dns"] and not board.run.finished

        runner.step.release()
        await settle()
        assert board.run.finished and board.run.arrival == ["internet.dns", "internet.wifi"]
        assert [r.check_id for r in finished[0].checks] == ["internet.dns", "internet.wifi"]

    run(scenario)


def test_check_again_waits_for_the_run_and_a_language_change_runs_once_more():
    async def scenario():
        runner = SteppedRunner()
        board = RunBoard(catalogue=CATALOGUE, runner=runner, check_allowed=lambda info: True)
        assert board.start()
        await settle()
        assert runner.asked == [("internet.dns", "internet.wifi", "computer.cpu")]
        assert not board.start()  # no second run on top of the first
        assert not board.start(or_after_current=True)

        for _ in range(3):
            runner.step.release()
        await settle()
        assert board.run.number == 2  # the follow-up run started by itself
        assert len(runner.asked) == 2
        board.close()
        await settle()

    run(scenario)
