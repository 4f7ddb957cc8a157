"""Does the modem's (router's) settings page answer?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import ModemFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity


def evaluate(facts: ModemFacts, limits: Thresholds) -> list[Finding]:
    if not facts.answers:
        return [
            finding(
                "internet.modem.no_answer",
                Severity.warning,
                N_("The router's settings page does not answer"),
                N_(
                    "The page at {url} did not open. The router may be hanging, even if the "
                    "internet still works for now."
                ),
                [
                    N_("Restart the router: unplug it, wait 30 seconds, plug it in again."),
                    N_("If you changed the router's address yourself, check the address here."),
                ],
                QuickLink.network,
                url=facts.url,
            )
        ]
    return [
        finding(
            "internet.modem.ok",
            Severity.ok,
            N_("The router's settings page answers"),
            N_("The page at {url} answered in {time_ms} ms."),
            url=facts.url,
            time_ms=facts.time_ms,
        )
    ]


async def collect(ctx) -> ModemFacts:
    facts = await ctx.network.modem()
    if facts.url is None:
        raise Unknown(N_("No router is known, so its settings page cannot be checked."))
    return facts


CHECK = Check(
    id="internet.modem",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Router settings page"),
    description_msgid=N_("Whether the router's own settings page answers."),
    collect=collect,
    evaluate=evaluate,
    order=60,
)
