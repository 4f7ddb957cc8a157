"""Is the firewall on?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding, render
from isp_common.diagnostics.facts import FirewallFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

TURN_ON = N_("Open the firewall settings and switch the firewall on.")
PROFILE_NAMES = {
    "domain": N_("company networks"),
    "private": N_("home networks"),
    "public": N_("public networks"),
}


def evaluate(facts: FirewallFacts, limits: Thresholds) -> list[Finding]:
    off = [p for p in facts.profiles if not p.enabled]
    if facts.profiles and off and len(off) < len(facts.profiles):
        return [
            finding(
                "security.firewall.partly_off",
                Severity.warning,
                N_("The firewall is off for some networks"),
                N_(
                    "The firewall is switched off for {networks}. There, other devices can "
                    "reach this computer unchecked."
                ),
                [TURN_ON],
                QuickLink.firewall,
                networks=", ".join(render(PROFILE_NAMES.get(p.name, p.name)) for p in off),
            )
        ]
    if not facts.enabled:
        # Windows offers services to the network by default; Linux and macOS rarely do,
        # so there a firewall that is off is a weakness rather than an open door.
        critical = facts.os_family == "windows"
        return [
            finding(
                "security.firewall.off",
                Severity.critical if critical else Severity.warning,
                N_("The firewall is off"),
                N_(
                    "The firewall ({product}) is switched off, so other devices on the network "
                    "can reach this computer unchecked."
                ),
                [TURN_ON],
                QuickLink.firewall,
                product=facts.product,
            )
        ]
    return [
        finding(
            "security.firewall.ok",
            Severity.ok,
            N_("The firewall is on"),
            N_("{product} protects this computer."),
            product=facts.product,
        )
    ]


async def collect(ctx) -> FirewallFacts:
    return await ctx.backend.firewall()


CHECK = Check(
    id="security.firewall",
    category=Category.security,
    premium=True,
    title_msgid=N_("Firewall"),
    description_msgid=N_("Whether the firewall is switched on."),
    collect=collect,
    evaluate=evaluate,
    order=200,
)
