"""The numbers the report page draws: findings by severity, how full memory, processor and
disks are, and the same over the device's earlier reports. A value the report does not
have stays None (the chart leaves a gap); nothing is guessed."""

from __future__ import annotations

from typing import Any

from isp_common.diagnostics.report import CheckStatus, DiagnosticsReport, Severity

SEVERITIES = [severity.value for severity in Severity]


def _facts(report: DiagnosticsReport, kind: str):
    for check in report.checks:
        facts = check.facts
        if check.status is CheckStatus.completed and facts is not None and facts.kind == kind:
            return facts
    return None


def usage(report: DiagnosticsReport) -> dict[str, float | None]:
    """Percentages (0-100) of the resources a hotline asks about first."""
    memory = _facts(report, "memory")
    cpu = _facts(report, "cpu")
    storage = _facts(report, "storage")
    disks = [p.percent for p in storage.partitions if p.percent is not None] if storage else []
    return {
        "memory": memory.percent if memory else None,
        "swap": memory.swap_percent if memory else None,
        "cpu": cpu.percent if cpu else None,
        "disk": max(disks) if disks else None,
    }


def severity_counts(report: DiagnosticsReport) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in report.findings():
        counts[finding.severity.value] += 1
    return counts


def partitions(report: DiagnosticsReport) -> list[dict[str, Any]]:
    storage = _facts(report, "storage")
    if storage is None:
        return []
    return [
        {"mount": p.mountpoint, "percent": p.percent}
        for p in storage.partitions
        if p.percent is not None
    ]


def chart_data(report: DiagnosticsReport, history: list[tuple[str, DiagnosticsReport]]) -> dict:
    """Everything the page's charts need, as JSON; `history` is (label, report), oldest
    first, including this report."""
    trend_usage = [usage(item) for _label, item in history]
    trend_counts = [severity_counts(item) for _label, item in history]
    return {
        "severities": severity_counts(report),
        "usage": usage(report),
        "partitions": partitions(report),
        "trend": {
            "labels": [label for label, _item in history],
            "memory": [u["memory"] for u in trend_usage],
            "cpu": [u["cpu"] for u in trend_usage],
            "disk": [u["disk"] for u in trend_usage],
            "problems": [c["warning"] + c["critical"] for c in trend_counts],
        },
    }
