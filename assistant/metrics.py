"""The few numbers of a report that the history charts draw."""

from __future__ import annotations

from collections.abc import Callable

from assistant.history import Metrics
from isp_common.diagnostics.facts import CpuFacts, MemoryFacts, ReachabilityFacts, StorageFacts
from isp_common.diagnostics.report import DiagnosticsReport

# The partition the system lives on: when it fills up, the whole computer suffers.
SYSTEM_MOUNTPOINTS = ("/", "C:")

# Which check measures each number: a number from a premium check is a premium result.
METRIC_SOURCES = {
    "cpu_percent": "computer.cpu",
    "memory_percent": "computer.memory",
    "disk_percent": "computer.storage",
    "latency_ms": "internet.reachability",
}


def locked_metrics(check_lock: Callable[[str, str, bool], object | None]) -> set[str]:
    """The numbers the history must not show: those of checks premium keeps locked now.

    `check_lock(check_id, category, premium)` is the premium gate's answer for a check
    (None when it may show)."""
    from assistant.diagnostics.catalogue import get_check

    return {
        metric
        for metric, check_id in METRIC_SOURCES.items()
        if (check := get_check(check_id)) is None
        or check_lock(check.id, check.category, check.premium) is not None
    }


def metrics_of(report: DiagnosticsReport) -> Metrics:
    cpu = memory = disk = latency = None
    for result in report.checks:
        facts = result.facts
        if isinstance(facts, CpuFacts):
            cpu = facts.percent
        elif isinstance(facts, MemoryFacts):
            memory = facts.percent
        elif isinstance(facts, StorageFacts):
            disk = _system_disk_percent(facts)
        elif isinstance(facts, ReachabilityFacts):
            latency = facts.median_latency_ms
    return Metrics(cpu_percent=cpu, memory_percent=memory, disk_percent=disk, latency_ms=latency)


def _system_disk_percent(facts: StorageFacts) -> float | None:
    measured = [p for p in facts.partitions if p.percent is not None]
    for partition in measured:
        if partition.mountpoint.rstrip("\\") in SYSTEM_MOUNTPOINTS:
            return partition.percent
    # No system partition among them (e.g. macOS's sealed volume): the fullest one.
    return max((p.percent for p in measured), default=None)
