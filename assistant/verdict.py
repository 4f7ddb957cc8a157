"""What a check result means at a glance: its status word and the overall traffic light."""

from __future__ import annotations

from isp_common.diagnostics.report import CheckResult, CheckStatus, Severity

# The four areas of the dashboard, in the order shown; they are the report's categories.
AREAS = ("internet", "email", "computer", "security")


def check_status(result: CheckResult) -> str:
    """ok / info / warning / critical for a completed check; unknown or timed_out else."""
    if result.status is CheckStatus.completed:
        severity = result.severity
        return severity.value if severity is not None else Severity.ok.value
    return result.status.value


def overall_light(statuses: list[str]) -> str:
    """The traffic light: red for any problem, amber for anything to look at, else green.

    A check that could not run changes no colour: it is counted and named separately, so
    an honest "unknown" never looks like a fault.
    """
    if "critical" in statuses:
        return "critical"
    if "warning" in statuses:
        return "warning"
    return "ok"
