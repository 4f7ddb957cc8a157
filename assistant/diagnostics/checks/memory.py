"""Is there enough working memory (RAM)?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import MemoryFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

STEPS = [
    N_("Close programs and browser tabs you do not need."),
    N_("Restart the computer if it has been running for a long time."),
]


def evaluate(facts: MemoryFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    if facts.percent >= limits.memory_used_warning_percent:
        critical = facts.percent >= limits.memory_used_critical_percent
        findings.append(
            finding(
                "computer.memory.full",
                Severity.critical if critical else Severity.warning,
                N_("The working memory is almost full"),
                N_(
                    "{percent} % of the working memory is in use. The computer becomes slow and "
                    "programs may close by themselves."
                ),
                STEPS,
                QuickLink.task_manager,
                percent=facts.percent,
            )
        )
    if facts.swap_total_bytes and facts.swap_percent >= limits.swap_used_warning_percent:
        findings.append(
            finding(
                "computer.memory.swap",
                Severity.info,
                N_("The computer uses its disk as extra memory"),
                N_(
                    "{swap_used_bytes} of memory were moved to the disk, which is much slower. "
                    "More working memory would make the computer faster."
                ),
                STEPS,
                QuickLink.task_manager,
                swap_used_bytes=facts.swap_used_bytes,
            )
        )
    if not findings:
        findings.append(
            finding(
                "computer.memory.ok",
                Severity.ok,
                N_("Enough working memory"),
                N_("{available_bytes} of {total_bytes} are free."),
                available_bytes=facts.available_bytes,
                total_bytes=facts.total_bytes,
            )
        )
    return findings


async def collect(ctx) -> MemoryFacts:
    return await ctx.system.memory()


CHECK = Check(
    id="computer.memory",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Working memory"),
    description_msgid=N_("How much working memory (RAM) and swap is in use."),
    collect=collect,
    evaluate=evaluate,
    order=110,
)
