"""Are operating system updates waiting to be installed?"""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, NP_, finding
from isp_common.diagnostics.facts import UpdatesFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

INSTALL = [
    N_("Open the update settings and install the waiting updates."),
    N_("Restart the computer when it asks you to."),
]


def evaluate(facts: UpdatesFacts, limits: Thresholds, now: datetime | None = None) -> list[Finding]:
    now = now or datetime.now(UTC)
    findings = []
    if facts.security_count:
        findings.append(
            finding(
                "security.updates.security_pending",
                Severity.warning,
                N_("Security updates are waiting"),
                NP_(
                    "{count} security update is not installed yet. It closes holes that "
                    "attackers use.",
                    "{count} security updates are not installed yet. They close holes that "
                    "attackers use.",
                ),
                INSTALL,
                QuickLink.updates,
                count=facts.security_count,
            )
        )
    elif facts.pending_count:
        findings.append(
            finding(
                "security.updates.pending",
                Severity.info,
                N_("Updates are available"),
                NP_(
                    "{count} update is waiting to be installed.",
                    "{count} updates are waiting to be installed.",
                ),
                INSTALL,
                QuickLink.updates,
                count=facts.pending_count,
            )
        )
    if facts.restart_required:
        findings.append(
            finding(
                "security.updates.restart_required",
                Severity.info,
                N_("A restart finishes the installed updates"),
                N_("Updates are installed but only take effect after a restart."),
                [N_("Save your work and restart the computer.")],
            )
        )
    if facts.last_checked is not None:
        days = (now - facts.last_checked).total_seconds() / 86400
        if days >= limits.updates_list_stale_days:
            findings.append(
                finding(
                    "security.updates.not_checked",
                    Severity.info,
                    N_("The computer has not looked for updates for a while"),
                    N_("It last looked for updates {days} days ago, so there may be more."),
                    [N_("Open the update settings and look for updates.")],
                    QuickLink.updates,
                    days=int(days),
                )
            )
    if not findings:
        findings.append(
            finding(
                "security.updates.ok",
                Severity.ok,
                N_("The system is up to date"),
                N_("No updates are waiting."),
            )
        )
    return findings


async def collect(ctx) -> UpdatesFacts:
    return await ctx.backend.updates()


CHECK = Check(
    id="security.updates",
    category=Category.security,
    premium=True,
    title_msgid=N_("Updates"),
    description_msgid=N_("Whether updates of the operating system are waiting."),
    collect=collect,
    evaluate=evaluate,
    order=220,
    timeout=120.0,  # Windows Update may take a minute even offline
)
