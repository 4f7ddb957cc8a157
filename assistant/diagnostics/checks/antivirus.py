"""Is virus protection present, switched on and up to date?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import AntivirusFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

UPDATE = N_("Open the virus protection and start an update of its virus definitions.")


def evaluate(facts: AntivirusFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    enabled = [p for p in facts.products if p.enabled is not False]
    if not enabled:
        if facts.os_family == "linux":
            # Desktop Linux has no virus scanner by default, and little malware targets it.
            findings.append(
                finding(
                    "security.antivirus.none",
                    Severity.info,
                    N_("No virus scanner is installed"),
                    N_(
                        "That is common on Linux. If you exchange files with Windows computers, "
                        "ClamAV can check them for viruses."
                    ),
                )
            )
        else:
            findings.append(
                finding(
                    "security.antivirus.none",
                    Severity.critical,
                    N_("No virus protection is active"),
                    N_(
                        "Without virus protection, harmful programs from e-mails and downloads "
                        "go unnoticed."
                    ),
                    [
                        N_(
                            "Switch on the built-in virus protection (Microsoft Defender) in the "
                            "security settings, or install a virus scanner."
                        )
                    ],
                    QuickLink.antivirus,
                )
            )
    for product in enabled:
        age = product.signature_age_days
        outdated = product.up_to_date is False or (
            age is not None and age > limits.antivirus_signature_max_age_days
        )
        if outdated:
            findings.append(
                finding(
                    "security.antivirus.outdated",
                    Severity.warning,
                    N_("The virus protection is out of date"),
                    N_(
                        "{product} has not received new virus definitions for {days} days, so it "
                        "does not recognise the newest threats."
                    ),
                    [UPDATE, N_("Check that the computer is connected to the internet.")],
                    QuickLink.antivirus,
                    product=product.name,
                    days=int(age) if age is not None else "?",
                )
            )
        if product.real_time is False:
            findings.append(
                finding(
                    "security.antivirus.real_time_off",
                    Severity.warning,
                    N_("Real-time protection is off"),
                    N_("{product} only checks files when asked, not as they arrive."),
                    [N_("Switch on real-time protection in the virus protection settings.")],
                    QuickLink.antivirus,
                    product=product.name,
                )
            )
    if facts.gatekeeper_enabled is False:
        findings.append(
            finding(
                "security.antivirus.gatekeeper_off",
                Severity.warning,
                N_("Apps from unknown sources are allowed"),
                N_("Gatekeeper is switched off, so macOS does not check where apps come from."),
                [
                    N_(
                        "In the Privacy & Security settings, allow apps from the App Store and "
                        "identified developers only."
                    )
                ],
                QuickLink.antivirus,
            )
        )
    if not findings:
        findings.append(
            finding(
                "security.antivirus.ok",
                Severity.ok,
                N_("Virus protection is active"),
                N_("{products} is switched on and up to date."),
                products=", ".join(p.name for p in enabled),
            )
        )
    return findings


async def collect(ctx) -> AntivirusFacts:
    return await ctx.backend.antivirus()


CHECK = Check(
    id="security.antivirus",
    category=Category.security,
    premium=True,
    title_msgid=N_("Virus protection"),
    description_msgid=N_("Whether virus protection is present, on and up to date."),
    collect=collect,
    evaluate=evaluate,
    order=210,
)
