"""Is the battery (of a laptop) worn or nearly empty?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import BatteryFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

_GOOD_CONDITIONS = {"normal", "good"}


def evaluate(facts: BatteryFacts, limits: Thresholds) -> list[Finding]:
    if not facts.present:
        return [
            finding(
                "computer.battery.none",
                Severity.ok,
                N_("This computer has no battery"),
                N_("There is nothing to check here."),
            )
        ]
    findings = []
    if (
        facts.health_percent is not None
        and facts.health_percent <= limits.battery_health_warning_percent
    ):
        findings.append(
            finding(
                "computer.battery.worn",
                Severity.warning,
                N_("The battery is worn"),
                N_(
                    "It holds only {health} % of the charge it held when new, so the computer "
                    "runs much shorter without the charger."
                ),
                [N_("A repair shop or the maker can replace the battery.")],
                QuickLink.power,
                health=facts.health_percent,
            )
        )
    elif facts.condition and facts.condition.lower() not in _GOOD_CONDITIONS:
        findings.append(
            finding(
                "computer.battery.service",
                Severity.warning,
                N_("The battery needs service"),
                N_('The operating system rates the battery as "{condition}".'),
                [N_("A repair shop or the maker can replace the battery.")],
                QuickLink.power,
                condition=facts.condition,
            )
        )
    low = facts.percent is not None and facts.percent <= limits.battery_low_warning_percent
    if low and facts.plugged_in is False:
        findings.append(
            finding(
                "computer.battery.low",
                Severity.warning,
                N_("The battery is almost empty"),
                N_("Only {percent} % charge is left."),
                [N_("Plug in the charger.")],
                QuickLink.power,
                percent=facts.percent,
            )
        )
    if not findings:
        findings.append(
            finding(
                "computer.battery.ok",
                Severity.ok,
                N_("The battery is fine"),
                N_("It is charged to {percent} %."),
                percent=facts.percent,
            )
        )
    return findings


async def collect(ctx) -> BatteryFacts:
    return await ctx.system.battery()


CHECK = Check(
    id="computer.battery",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Battery"),
    description_msgid=N_("Charge, charger and the battery's wear."),
    collect=collect,
    evaluate=evaluate,
    order=140,
)
