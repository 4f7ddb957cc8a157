"""Which programs use the most processor time and memory?"""

from __future__ import annotations

import asyncio

from assistant.diagnostics.blocking import in_thread
from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import ProcessFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity


def evaluate(facts: ProcessFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    for process in facts.top_cpu:
        # cpu_percent counts one core as 100; the customer cares about the whole machine.
        share = round(process.cpu_percent / max(facts.logical_cpus, 1), 1)
        if share >= limits.process_cpu_warning_percent:
            findings.append(
                finding(
                    "computer.processes.busy_program",
                    Severity.warning,
                    N_("{name} uses much of the processor"),
                    N_(
                        "The program {name} used {share} % of the whole processor while we "
                        "measured, which slows down everything else."
                    ),
                    [
                        N_("If you do not need {name} right now, close it."),
                        N_("If it stays this busy, restart the computer."),
                    ],
                    QuickLink.task_manager,
                    name=process.name,
                    share=share,
                )
            )
    for process in facts.top_memory:
        if process.memory_percent >= limits.process_memory_warning_percent:
            findings.append(
                finding(
                    "computer.processes.memory_program",
                    Severity.info,
                    N_("{name} uses a lot of memory"),
                    N_(
                        "The program {name} uses {memory_bytes} ({percent} % of the working "
                        "memory)."
                    ),
                    [N_("If the computer is slow, close {name} and open it again.")],
                    QuickLink.task_manager,
                    name=process.name,
                    memory_bytes=process.memory_bytes,
                    percent=process.memory_percent,
                )
            )
    if not findings:
        findings.append(
            finding(
                "computer.processes.ok",
                Severity.ok,
                N_("No program is unusually busy"),
                N_("{count} programs and services are running."),
                count=facts.process_count,
            )
        )
    return findings


async def collect(ctx) -> ProcessFacts:
    sampler = ctx.processes
    top = ctx.settings.top_processes
    # Two passes: CPU use is what happened between them.
    await in_thread(sampler.sample)
    await asyncio.sleep(ctx.settings.cpu_sample_seconds)
    return await in_thread(sampler.snapshot, top)


CHECK = Check(
    id="computer.processes",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Running programs"),
    description_msgid=N_("The programs that use the most processor time and memory."),
    collect=collect,
    evaluate=evaluate,
    order=170,
)
