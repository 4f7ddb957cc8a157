"""Do the disks themselves report problems (S.M.A.R.T.)?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, NP_, finding
from isp_common.diagnostics.facts import DiskHealthFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

BACK_UP = N_("Back up your important files now, for example to an external drive or to the cloud.")


def evaluate(facts: DiskHealthFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    for disk in facts.disks:
        name = disk.model or disk.device
        if disk.passed is False:
            findings.append(
                finding(
                    "computer.disk_health.failing",
                    Severity.critical,
                    N_("The disk {disk} reports that it is failing"),
                    N_(
                        "The disk's own self-check failed. It may stop working at any time, and "
                        "your files on it could be lost."
                    ),
                    [BACK_UP, N_("Have the disk replaced soon by a repair shop.")],
                    QuickLink.storage,
                    disk=name,
                )
            )
            continue
        bad = (disk.reallocated_sectors or 0) + (disk.pending_sectors or 0)
        if bad >= limits.disk_reallocated_sectors_warning:
            findings.append(
                finding(
                    "computer.disk_health.bad_sectors",
                    Severity.warning,
                    N_("The disk {disk} has damaged areas"),
                    NP_(
                        "{count} area of the disk is damaged. That is often the first sign that "
                        "a disk is wearing out.",
                        "{count} areas of the disk are damaged. That is often the first sign that "
                        "a disk is wearing out.",
                    ),
                    [BACK_UP, N_("Keep an eye on it: if the number grows, replace the disk.")],
                    QuickLink.storage,
                    disk=name,
                    count=bad,
                )
            )
        if (
            disk.percentage_used is not None
            and disk.percentage_used >= limits.ssd_wear_warning_percent
        ):
            findings.append(
                finding(
                    "computer.disk_health.worn",
                    Severity.warning,
                    N_("The SSD {disk} is nearly worn out"),
                    N_("It has used {percent} % of its rated life."),
                    [BACK_UP, N_("Plan to replace the SSD.")],
                    QuickLink.storage,
                    disk=name,
                    percent=disk.percentage_used,
                )
            )
        if (
            disk.temperature_c is not None
            and disk.temperature_c >= limits.disk_temperature_warning_c
        ):
            findings.append(
                finding(
                    "computer.disk_health.hot",
                    Severity.warning,
                    N_("The disk {disk} is too hot"),
                    N_("It is at {temperature} °C; heat shortens a disk's life."),
                    [N_("Make sure the computer's air vents are free and not dusty.")],
                    disk=name,
                    temperature=disk.temperature_c,
                )
            )
    if not findings:
        findings.append(
            finding(
                "computer.disk_health.ok",
                Severity.ok,
                N_("The disks report no problems"),
                NP_(
                    "The disk checked its own health and found no problems.",
                    "{count} disks checked their own health and found no problems.",
                ),
                count=sum(d.unknown_reason is None for d in facts.disks),
            )
        )
    return findings


async def collect(ctx) -> DiskHealthFacts:
    return await ctx.smart.collect()


CHECK = Check(
    id="computer.disk_health",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Disk health"),
    description_msgid=N_("The disks' own health reports (S.M.A.R.T.)."),
    collect=collect,
    evaluate=evaluate,
    order=130,
)
