"""How busy is the processor?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import CpuFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity


def evaluate(facts: CpuFacts, limits: Thresholds) -> list[Finding]:
    if facts.percent >= limits.cpu_busy_warning_percent:
        return [
            finding(
                "computer.cpu.busy",
                Severity.warning,
                N_("The processor is very busy"),
                N_("It was {percent} % busy while we measured, so programs react slowly."),
                [
                    N_("Close programs you do not need right now."),
                    N_("The list of running programs shows which ones use the processor."),
                ],
                QuickLink.task_manager,
                percent=facts.percent,
            )
        ]
    return [
        finding(
            "computer.cpu.ok",
            Severity.ok,
            N_("The processor is not overloaded"),
            N_("It was {percent} % busy while we measured."),
            percent=facts.percent,
        )
    ]


async def collect(ctx) -> CpuFacts:
    return await ctx.system.cpu(ctx.settings.cpu_sample_seconds)


CHECK = Check(
    id="computer.cpu",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Processor"),
    description_msgid=N_("Processor load in total and per core, speed and load average."),
    collect=collect,
    evaluate=evaluate,
    order=100,
)
