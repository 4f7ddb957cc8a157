"""Running the checks: all at once, each cut at its time limit, results as they come.

`stream_diagnostics` yields a `Progress` for every check as soon as it finishes, so a UI
can show "3 of 12 done" and the findings so far; `run_diagnostics` collects the same into
one `DiagnosticsReport`, optionally calling ``on_result`` along the way. A check that
fails becomes "unknown" with its reason, one that hangs becomes "timed_out"; neither
stops the others.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import logging
import platform
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING

from assistant.diagnostics.catalogue import Check, select_checks
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.i18n import current_translator
from assistant.diagnostics.settings import DiagnosticsSettings
from assistant.diagnostics.texts import N_, render
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    HostInfo,
    Progress,
)

if TYPE_CHECKING:
    from assistant.diagnostics.collectors import Collectors

log = logging.getLogger(__name__)


OnResult = Callable[[Progress], Awaitable[None] | None]


async def run_check(check: Check, collectors: Collectors) -> CheckResult:
    """One check, never raising: facts and findings, or unknown, or timed out."""
    settings = collectors.settings
    timeout = settings.timeout_for(check.id, check.timeout)
    started = time.perf_counter()
    facts, findings, status, reason, advice = None, [], CheckStatus.completed, None, None
    try:
        facts = await asyncio.wait_for(check.collect(collectors), timeout)
        findings = check.evaluate(facts, settings.thresholds)
    except TimeoutError:
        status = CheckStatus.timed_out
        reason = render(
            N_("The check did not finish within {seconds} seconds."), {"seconds": timeout}
        )
        advice = render(N_("Check again in a moment: a busy computer can take longer."))
    except Unknown as err:
        status, reason, advice = CheckStatus.unknown, err.reason, err.advice
    except Exception as err:  # a bug in one check must not take the others down
        log.exception("check %s failed", check.id)
        status = CheckStatus.unknown
        reason = render(
            N_("The check failed unexpectedly: {error}"), {"error": f"{type(err).__name__}: {err}"}
        )
        facts, findings = None, []
    return CheckResult(
        check_id=check.id,
        category=check.category,
        premium=check.premium,
        title=check.title,
        status=status,
        reason=reason,
        advice=advice,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        facts=facts,
        findings=findings,
    )


def _default_collectors(settings: DiagnosticsSettings) -> Collectors:
    # Imported here, not at the top: the report and the catalogue must stay importable
    # without psutil and httpx (the server imports them to read reports).
    from assistant.diagnostics.collectors import Collectors

    return Collectors.create(settings)


async def stream_diagnostics(
    settings: DiagnosticsSettings | None = None,
    *,
    categories: Iterable[Category | str] | None = None,
    include_premium: bool = True,
    check_ids: Iterable[str] | None = None,
    language: str | None = None,
    collectors: Collectors | None = None,
) -> AsyncIterator[Progress]:
    """Runs the selected checks concurrently and yields each result as it finishes.

    ``language`` ("de" or "en") sets the language of the texts; by default the current one.
    Leaving the loop early cancels the checks still running.
    """
    settings = settings or DiagnosticsSettings()
    collectors = collectors or _default_collectors(settings)
    checks = select_checks(categories, include_premium, check_ids)
    context = contextvars.copy_context()
    if language is not None:
        context.run(current_translator().language.set, language)
    tasks = [
        asyncio.create_task(run_check(check, collectors), name=check.id, context=context)
        for check in checks
    ]
    try:
        for done, next_result in enumerate(asyncio.as_completed(tasks), start=1):
            yield Progress(result=await next_result, done=done, total=len(tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_diagnostics(
    settings: DiagnosticsSettings | None = None,
    *,
    categories: Iterable[Category | str] | None = None,
    include_premium: bool = True,
    check_ids: Iterable[str] | None = None,
    language: str | None = None,
    on_result: OnResult | None = None,
    collectors: Collectors | None = None,
) -> DiagnosticsReport:
    """Runs the selected checks and returns the report (checks in catalogue order).

    ``on_result`` is called (or awaited, if it is a coroutine function) with a `Progress`
    as each check finishes.
    """
    started = datetime.now(UTC)
    results: dict[str, CheckResult] = {}
    async for progress in stream_diagnostics(
        settings,
        categories=categories,
        include_premium=include_premium,
        check_ids=check_ids,
        language=language,
        collectors=collectors,
    ):
        results[progress.result.check_id] = progress.result
        if on_result is not None:
            outcome = on_result(progress)
            if inspect.isawaitable(outcome):
                await outcome
    order = {
        check.id: check.order for check in select_checks(categories, include_premium, check_ids)
    }
    return DiagnosticsReport(
        language=language or current_translator().language.get(),
        started_at=started,
        host=host_info(),
        checks=sorted(results.values(), key=lambda r: order[r.check_id]),
    )


def host_info() -> HostInfo:
    system = platform.system()
    family = {"Linux": "linux", "Windows": "windows", "Darwin": "macos"}.get(system, "other")
    try:
        version = metadata.version("isp-assistant")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return HostInfo(
        hostname=socket.gethostname(),
        os_family=family,
        os_name=_os_name(system),
        os_version=platform.version() if system == "Windows" else platform.release(),
        machine=platform.machine(),
        assistant_version=version,
    )


def _os_name(system: str) -> str:
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0]}".strip()
    if system == "Windows":
        return f"Windows {platform.release()}"
    if system == "Linux":
        try:
            return platform.freedesktop_os_release().get("PRETTY_NAME", "Linux")
        except OSError:
            return "Linux"
    return system
