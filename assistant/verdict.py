"""What a check result means at a glance: its status word and the overall traffic light,
and, where findings seem to contradict each other, what they mean together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.diagnostics.combinations import Combined, read_together
from assistant.i18n import _
from isp_common.diagnostics.report import CheckResult, CheckStatus, Severity
from isp_common.i18n import N_

# The traffic light in words a customer understands, never the colour's name: the page,
# the saved report and the PDF all say it this way. Each comes with a shape as well
# (`LIGHT_SHAPES`), so the colour is never the only cue.
LIGHT_WORDS = {
    "ok": N_("All good"),
    "warning": N_("Some warnings"),
    "critical": N_("Problems found"),
    "running": N_("Checking"),
}
LIGHT_SHAPES = {"ok": "check", "warning": "warning", "critical": "cross", "running": "clock"}

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


def light_word(light: str) -> str:
    """The traffic light's state in the current language ("Problems found")."""
    return _(LIGHT_WORDS[light])


@dataclass(frozen=True)
class Verdict:
    """The run at a glance: the light, its word, and the findings read together."""

    light: str
    word: str
    combined: list[Combined]


def verdict(results: Iterable[CheckResult]) -> Verdict:
    results = list(results)
    light = overall_light([check_status(result) for result in results])
    return Verdict(light=light, word=light_word(light), combined=read_together(results))
