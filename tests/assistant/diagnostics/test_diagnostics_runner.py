"""Running checks: concurrently, cut at their time limits, results streamed as they finish."""

from __future__ import annotations

import asyncio
import contextlib
import time

import psutil
import pytest

from assistant.diagnostics import (
    Category,
    CheckStatus,
    DiagnosticsReport,
    run_diagnostics,
    stream_diagnostics,
)
from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.runner import run_check
from tests.assistant.diagnostics.diagnostics_support import loopback_settings, run

HANGING = ["internet.modem", "email.servers", "internet.dns"]


def hanging_settings(silent_server, silent_dns):
    """Three checks whose servers accept and never answer, each check limited to 1 s."""
    return loopback_settings(
        modem_url=f"http://127.0.0.1:{silent_server.port}/",
        mail_servers=[{"protocol": "imap", "host": "127.0.0.1", "port": silent_server.port}],
        dns_servers=[silent_dns.endpoint],
        network_timeout_seconds=30,  # each probe would wait long: the check's limit cuts it
        check_timeouts=dict.fromkeys(HANGING, 1.0),
    )


def test_hanging_checks_are_cut_at_their_limit_together_not_one_after_another(
    silent_server, dns_server
):
    settings = hanging_settings(silent_server, dns_server("silent"))
    started = time.perf_counter()
    report = run(run_diagnostics(settings, check_ids=HANGING))
    elapsed = time.perf_counter() - started
    assert [r.status for r in report.checks] == [CheckStatus.timed_out] * 3
    assert all("1 seconds" in r.reason for r in report.checks)
    # Run side by side: about one limit in total, not three.
    assert elapsed < 2.5


def test_results_stream_in_as_they_finish_with_progress(silent_server, dns_server):
    settings = hanging_settings(silent_server, dns_server("silent"))

    async def collect():
        return [
            p
            async for p in stream_diagnostics(
                settings, check_ids=[*HANGING, "internet.gateway", "computer.uptime"]
            )
        ]

    progress = run(collect())
    assert [p.done for p in progress] == [1, 2, 3, 4, 5]
    assert {p.total for p in progress} == {5}
    # The quick checks arrive before the ones that wait for their limit.
    assert {p.result.check_id for p in progress[:2]} == {"internet.gateway", "computer.uptime"}
    assert {p.result.status for p in progress[2:]} == {CheckStatus.timed_out}


def test_on_result_is_called_for_each_check_and_the_report_keeps_catalogue_order():
    seen = []

    async def on_result(progress):
        seen.append((progress.done, progress.total, progress.result.check_id))

    report = run(
        run_diagnostics(
            loopback_settings(), categories=["internet"], include_premium=False, on_result=on_result
        )
    )
    assert len(seen) == len(report.checks) == 6
    assert [done for done, _total, _id in seen] == list(range(1, 7))
    assert [r.check_id for r in report.checks] == [
        "internet.interfaces",
        "internet.gateway",
        "internet.dns",
        "internet.reachability",
        "internet.wifi",
        "internet.modem",
    ]
    assert all(r.category is Category.internet and not r.premium for r in report.checks)
    assert DiagnosticsReport.model_validate_json(report.model_dump_json()) == report


def test_texts_come_in_the_language_asked_for():
    report = run(
        run_diagnostics(loopback_settings(), check_ids=["internet.gateway"], language="de")
    )
    (result,) = report.checks
    assert report.language == "de"
    assert result.title == "Router"
    assert result.findings[0].title == "Ihr Router antwortet nicht"
    assert result.findings[0].steps[0].startswith("Prüfen Sie")


def test_a_check_that_breaks_becomes_unknown_without_stopping_others():
    async def explode(ctx):
        raise RuntimeError("sensor exploded")

    broken = Check(
        id="computer.broken",
        category=Category.computer,
        premium=True,
        title_msgid="Broken",
        description_msgid="",
        collect=explode,
        evaluate=lambda facts, limits: [],
        order=999,
    )
    result = run(run_check(broken, Collectors.create(loopback_settings())))
    assert result.status is CheckStatus.unknown
    assert "sensor exploded" in result.reason
    assert result.facts is None and result.findings == []


def test_leaving_the_stream_early_cancels_the_rest(silent_server, dns_server):
    settings = hanging_settings(silent_server, dns_server("silent"))

    async def first_only():
        stream = stream_diagnostics(settings, check_ids=[*HANGING, "computer.uptime"])
        first = await anext(stream)
        await stream.aclose()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        return first, others

    first, still_running = run(first_only())
    assert first.result.check_id == "computer.uptime"
    assert still_running == []  # the hanging checks were cancelled, not left behind


def test_a_program_that_overruns_its_time_is_killed(tmp_path):
    pid_file = tmp_path / "pid"
    runner = CommandRunner()
    with pytest.raises(TimeoutError):
        run(runner.run(["sh", "-c", f"echo $$ > {pid_file}; exec sleep 30"], timeout=0.5))
    pid = int(pid_file.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_program_that_overruns_its_time_is_killed_with_all_it_started(tmp_path):
    """Also a grandchild in a session of its own (as a daemon makes), which a kill of the
    program's process group would miss, and one whose parent is still running."""
    pid_file = tmp_path / "pids"
    script = (
        f"echo $$ >> {pid_file}; setsid sleep 60 & echo $! >> {pid_file}; "
        f"sh -c 'sleep 60 & echo $! >> {pid_file}; wait' & wait"
    )
    runner = CommandRunner()
    try:
        with pytest.raises(TimeoutError):
            run(runner.run(["sh", "-c", script], timeout=1))
        pids = [int(pid) for pid in pid_file.read_text().split()]
        assert len(pids) == 3
        deadline = time.monotonic() + 5  # a killed process takes a moment to go
        while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in pids if not _gone(pid)] == []
    finally:  # nothing left behind, even when the test fails
        for pid in pid_file.read_text().split() if pid_file.exists() else []:
            with contextlib.suppress(psutil.Error):
                psutil.Process(int(pid)).kill()


def test_a_cancelled_check_kills_its_program(tmp_path):
    pid_file = tmp_path / "pid"
    runner = CommandRunner()

    async def cancel_soon():
        task = asyncio.create_task(
            runner.run(["sh", "-c", f"echo $$ > {pid_file}; exec sleep 30"], timeout=60)
        )
        while not pid_file.exists() or not pid_file.read_text().strip():
            await asyncio.sleep(0.02)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancel_soon())
    pid = int(pid_file.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
