"""Can names such as "example.com" be turned into addresses (DNS)?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, call_hotline, finding
from isp_common.diagnostics.facts import DnsFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

RESTART_ROUTER = N_("Restart the router: unplug it, wait 30 seconds, plug it in again.")
_SERVER_PROBLEMS = {
    "refused": N_("The name server {server} refuses to answer"),
    "timeout": N_("The name server {server} does not answer"),
}


def evaluate(facts: DnsFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    system = [lookup for lookup in facts.lookups if lookup.resolver == "system"]
    failed = [lookup for lookup in system if not lookup.ok]
    if system and len(failed) == len(system):
        findings.append(
            finding(
                "internet.dns.failed",
                Severity.critical,
                N_("Internet addresses cannot be looked up"),
                N_(
                    "The computer could not find the address of {name}. Websites and e-mail "
                    "will not work, even if the line itself is fine."
                ),
                [
                    RESTART_ROUTER,
                    N_("Restart this computer."),
                    call_hotline(
                        N_("If it still does not work, call us: the fault may be on our side.")
                    ),
                ],
                QuickLink.network,
                name=failed[0].name,
            )
        )
    elif failed:
        findings.append(
            finding(
                "internet.dns.partly_failed",
                Severity.warning,
                N_("Some internet addresses cannot be looked up"),
                N_("The computer could not find the address of {name}; other names worked."),
                [RESTART_ROUTER],
                QuickLink.network,
                name=failed[0].name,
            )
        )
    for lookup in facts.lookups:
        if lookup.resolver == "system" or lookup.ok:
            continue
        problem = lookup.error if lookup.error in _SERVER_PROBLEMS else "failed"
        findings.append(
            finding(
                f"internet.dns.server_{problem}",
                Severity.warning,
                _SERVER_PROBLEMS.get(
                    lookup.error or "", N_("The name server {server} gave no address")
                ),
                N_(
                    "Asked directly, the name server {server} did not give the address of "
                    "{name}. Your computer may use another server, so this need not affect you."
                ),
                [N_("If websites do not open, restart the router.")],
                QuickLink.network,
                server=lookup.resolver,
                name=lookup.name,
            )
        )
    times = [lookup.time_ms for lookup in system if lookup.ok and lookup.time_ms is not None]
    if times and max(times) >= limits.dns_slow_warning_ms:
        findings.append(
            finding(
                "internet.dns.slow",
                Severity.warning,
                N_("Looking up internet addresses is slow"),
                N_(
                    "Finding an address took {time_ms} ms. Every new website then takes that "
                    "long before it starts loading."
                ),
                [RESTART_ROUTER],
                QuickLink.network,
                time_ms=max(times),
            )
        )
    if not findings:
        findings.append(
            finding(
                "internet.dns.ok",
                Severity.ok,
                N_("Looking up internet addresses works"),
                N_("Finding the address of {name} took {time_ms} ms."),
                name=system[0].name if system else facts.lookups[0].name,
                time_ms=max(times) if times else facts.lookups[0].time_ms,
            )
        )
    return findings


async def collect(ctx) -> DnsFacts:
    if not ctx.settings.dns_test_names:
        raise Unknown(N_("No names to look up are configured."))
    return await ctx.network.dns()


CHECK = Check(
    id="internet.dns",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Name lookup (DNS)"),
    description_msgid=N_("Whether names such as example.com can be turned into addresses."),
    collect=collect,
    evaluate=evaluate,
    order=30,
)
