"""Does the internet answer, and how quickly?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, call_hotline, finding
from isp_common.diagnostics.facts import ReachabilityFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity


def evaluate(facts: ReachabilityFacts, limits: Thresholds) -> list[Finding]:
    reachable = [e for e in facts.endpoints if e.reachable]
    if not reachable:
        return [
            finding(
                "internet.reachability.offline",
                Severity.critical,
                N_("No connection to the internet"),
                N_("None of the test addresses on the internet answered."),
                [
                    N_(
                        "Look at the router's lights: the one for the internet (often marked "
                        '"Internet", "DSL" or "Online") should be lit.'
                    ),
                    N_("Restart the router and wait five minutes."),
                    call_hotline(
                        N_("If the internet light stays off, the line may be faulty: call us.")
                    ),
                ],
                QuickLink.network,
            )
        ]
    findings = []
    if len(reachable) < len(facts.endpoints):
        findings.append(
            finding(
                "internet.reachability.partial",
                Severity.warning,
                N_("Parts of the internet do not answer"),
                N_("{failed} of {total} test addresses did not answer."),
                [N_("If websites load slowly or not at all, restart the router.")],
                QuickLink.network,
                failed=len(facts.endpoints) - len(reachable),
                total=len(facts.endpoints),
            )
        )
    latency = facts.median_latency_ms
    if latency is not None and latency >= limits.latency_warning_ms:
        critical = latency >= limits.latency_critical_ms
        findings.append(
            finding(
                "internet.reachability.slow",
                Severity.critical if critical else Severity.warning,
                N_("The internet answers slowly"),
                N_(
                    "Answers take {latency_ms} ms; {limit_ms} ms or less is normal. Video calls "
                    "and games will stutter."
                ),
                [
                    N_("Pause large downloads, streaming and backups on all devices at home."),
                    N_("On Wi-Fi: move closer to the router or use a cable."),
                    N_("If it stays slow, restart the router."),
                ],
                QuickLink.network,
                latency_ms=latency,
                limit_ms=limits.latency_warning_ms,
            )
        )
    if not findings:
        findings.append(
            finding(
                "internet.reachability.ok",
                Severity.ok,
                N_("The internet is reachable"),
                N_("Test addresses answer in {latency_ms} ms."),
                latency_ms=latency,
            )
        )
    return findings


async def collect(ctx) -> ReachabilityFacts:
    if not ctx.settings.internet_endpoints:
        raise Unknown(N_("No test addresses on the internet are configured."))
    return await ctx.network.reachability()


CHECK = Check(
    id="internet.reachability",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Internet"),
    description_msgid=N_("Whether the internet answers, and how quickly."),
    collect=collect,
    evaluate=evaluate,
    order=40,
)
