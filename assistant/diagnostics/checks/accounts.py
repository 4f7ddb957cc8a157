"""Are the user accounts set up safely?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import AccountFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity


def evaluate(facts: AccountFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    if facts.auto_login:
        findings.append(
            finding(
                "security.accounts.auto_login",
                Severity.warning,
                N_("The computer starts without a password"),
                N_(
                    "It logs in as {user} by itself, so anyone who switches it on can use the "
                    "account, with its e-mail and files."
                ),
                [N_("Turn off automatic login in the account settings.")],
                QuickLink.accounts,
                user=facts.auto_login_user or facts.user,
            )
        )
    if facts.guest_enabled:
        findings.append(
            finding(
                "security.accounts.guest",
                Severity.warning,
                N_("The guest account is switched on"),
                N_("Anyone can use this computer as a guest without a password."),
                [N_("Switch off the guest account in the account settings.")],
                QuickLink.accounts,
            )
        )
    if facts.is_superuser:
        findings.append(
            finding(
                "security.accounts.superuser",
                Severity.warning,
                N_("You are working with full administrator rights"),
                N_(
                    "Everything you start, including a harmful program, may change the whole "
                    "computer without asking."
                ),
                [N_("Use an account without administrator rights for everyday work.")],
                QuickLink.accounts,
            )
        )
    elif facts.is_admin:
        findings.append(
            finding(
                "security.accounts.admin",
                Severity.info,
                N_("Your everyday account is an administrator"),
                N_(
                    "Harmful programs have an easier job when they run under an administrator "
                    "account."
                ),
                [
                    N_(
                        "Create a standard account for everyday work and keep the administrator "
                        "account for changes to the computer."
                    )
                ],
                QuickLink.accounts,
            )
        )
    if facts.unreadable:
        findings.append(
            finding(
                "security.accounts.unreadable",
                Severity.info,
                N_("Some account settings could not be checked"),
                N_("These could not be read: {what}"),
                what=" ".join(facts.unreadable),
            )
        )
    if not any(f.severity is not Severity.info for f in findings) and not facts.unreadable:
        findings.insert(
            0,
            finding(
                "security.accounts.ok",
                Severity.ok,
                N_("The accounts are set up safely"),
                N_("No automatic login and no open guest account."),
            ),
        )
    return findings


async def collect(ctx) -> AccountFacts:
    return await ctx.backend.accounts()


CHECK = Check(
    id="security.accounts",
    category=Category.security,
    premium=True,
    title_msgid=N_("Accounts"),
    description_msgid=N_("Automatic login, guest account, working as administrator."),
    collect=collect,
    evaluate=evaluate,
    order=230,
)
