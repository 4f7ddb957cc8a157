"""Is the computer running too hot?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import TemperatureFacts
from isp_common.diagnostics.report import Category, Finding, Severity

STEPS = [
    N_("Make sure the air vents are free, not covered by a blanket or cushion."),
    N_("Use a laptop on a hard, flat surface such as a table."),
    N_("Have the dust cleaned out of the vents and fan."),
]


def evaluate(facts: TemperatureFacts, limits: Thresholds) -> list[Finding]:
    hottest = max(facts.sensors, key=lambda s: s.current_c)
    over_critical = [s for s in facts.sensors if s.critical_c and s.current_c >= s.critical_c]
    if over_critical:
        sensor = over_critical[0]
        return [
            finding(
                "computer.temperatures.critical",
                Severity.critical,
                N_("The computer is overheating"),
                N_(
                    "{sensor} is at {temperature} °C, at its limit of {limit} °C. The computer "
                    "may switch itself off to protect itself."
                ),
                STEPS,
                sensor=sensor.label,
                temperature=sensor.current_c,
                limit=sensor.critical_c,
            )
        ]
    if hottest.current_c >= limits.temperature_warning_c:
        return [
            finding(
                "computer.temperatures.hot",
                Severity.warning,
                N_("The computer is running hot"),
                N_(
                    "{sensor} is at {temperature} °C. Heat makes the computer slow and "
                    "shortens its life."
                ),
                STEPS,
                sensor=hottest.label,
                temperature=hottest.current_c,
            )
        ]
    return [
        finding(
            "computer.temperatures.ok",
            Severity.ok,
            N_("Temperatures are normal"),
            N_("The warmest part, {sensor}, is at {temperature} °C."),
            sensor=hottest.label,
            temperature=hottest.current_c,
        )
    ]


async def collect(ctx) -> TemperatureFacts:
    return await ctx.system.temperatures()


CHECK = Check(
    id="computer.temperatures",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Temperatures"),
    description_msgid=N_("The temperatures of processor and other parts, where reported."),
    collect=collect,
    evaluate=evaluate,
    order=150,
)
