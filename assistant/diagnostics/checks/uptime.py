"""When was the computer last restarted?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.formats import moment
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import UptimeFacts
from isp_common.diagnostics.report import Category, Finding, Severity


def evaluate(facts: UptimeFacts, limits: Thresholds) -> list[Finding]:
    days = facts.uptime_seconds / 86400
    if days >= limits.uptime_warning_days:
        return [
            finding(
                "computer.uptime.restart",
                Severity.info,
                N_("Restart your computer"),
                N_(
                    "It has been running for {days} days without a restart. A restart finishes "
                    "installed updates and frees up memory."
                ),
                [N_("Save your work, then restart the computer (not just close the lid).")],
                days=int(days),
            )
        ]
    return [
        finding(
            "computer.uptime.ok",
            Severity.ok,
            N_("Recently restarted"),
            N_("The computer was last started on {boot}."),
            boot=moment(facts.boot_time),
        )
    ]


async def collect(ctx) -> UptimeFacts:
    return await ctx.system.uptime()


CHECK = Check(
    id="computer.uptime",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Last restart"),
    description_msgid=N_("When the computer was last started."),
    collect=collect,
    evaluate=evaluate,
    order=160,
)
