"""Does the router (the default gateway) answer?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import GatewayFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

RESTART_ROUTER = N_("Restart the router: unplug it, wait 30 seconds, plug it in again.")


def evaluate(facts: GatewayFacts, limits: Thresholds) -> list[Finding]:
    if facts.address is None:
        return [
            finding(
                "internet.gateway.none",
                Severity.critical,
                N_("No router found"),
                N_(
                    "This computer does not know a router through which it could reach the "
                    "internet."
                ),
                [
                    N_("Check that the network cable is plugged in, or that Wi-Fi is connected."),
                    RESTART_ROUTER,
                ],
                QuickLink.network,
            )
        ]
    if not facts.answers:
        return [
            finding(
                "internet.gateway.no_answer",
                Severity.critical,
                N_("Your router does not answer"),
                N_(
                    "The computer should reach the internet through the router at {address}, "
                    "but the router did not answer."
                ),
                [
                    N_("Check that the router is switched on and its lights are lit."),
                    RESTART_ROUTER,
                    N_("On Wi-Fi: move closer to the router, or connect with a cable to test."),
                ],
                QuickLink.network,
                address=facts.address,
            )
        ]
    fastest = min(p.time_ms for p in facts.probes if p.time_ms is not None and p.outcome == "open")
    return [
        finding(
            "internet.gateway.ok",
            Severity.ok,
            N_("Your router answers"),
            N_("The router at {address} answered in {time_ms} ms."),
            address=facts.address,
            time_ms=fastest,
        )
    ]


async def collect(ctx) -> GatewayFacts:
    return await ctx.network.gateway()


CHECK = Check(
    id="internet.gateway",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Router"),
    description_msgid=N_("Whether the router that connects you to the internet answers."),
    collect=collect,
    evaluate=evaluate,
    order=20,
)
