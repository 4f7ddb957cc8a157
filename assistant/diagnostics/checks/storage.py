"""Is there enough free space on the drives?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import StorageFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

STEPS = [
    N_("Empty the recycle bin."),
    N_("Delete or move large files you no longer need, such as old videos and downloads."),
    N_("Uninstall programs you no longer use."),
]


def evaluate(facts: StorageFacts, limits: Thresholds) -> list[Finding]:
    findings = []
    measured = [p for p in facts.partitions if not p.read_only and p.total_bytes]
    for part in measured:
        free_percent = round(100 * (part.free_bytes or 0) / part.total_bytes, 1)
        if free_percent > limits.disk_free_warning_percent:
            continue
        critical = free_percent <= limits.disk_free_critical_percent
        findings.append(
            finding(
                "computer.storage.almost_full",
                Severity.critical if critical else Severity.warning,
                N_("The drive {mountpoint} is almost full"),
                N_(
                    "Only {free_bytes} ({free_percent} %) are free. When a drive is full, "
                    "updates fail and programs cannot save."
                ),
                STEPS,
                QuickLink.storage,
                mountpoint=part.mountpoint,
                free_bytes=part.free_bytes,
                free_percent=free_percent,
            )
        )
    for part in facts.partitions:
        if part.unknown_reason:
            findings.append(
                finding(
                    "computer.storage.not_answering",
                    Severity.info,
                    N_("The drive {mountpoint} could not be checked"),
                    N_("{reason} If it is a network drive, check that it is switched on."),
                    mountpoint=part.mountpoint,
                    reason=part.unknown_reason,
                )
            )
    if not any(f.severity in (Severity.warning, Severity.critical) for f in findings):
        tightest = min(measured, key=lambda p: (p.free_bytes or 0) / p.total_bytes, default=None)
        findings.insert(
            0,
            finding(
                "computer.storage.ok",
                Severity.ok,
                N_("Enough free space on the drives"),
                N_("The fullest drive, {mountpoint}, still has {free_bytes} free."),
                mountpoint=tightest.mountpoint if tightest else "-",
                free_bytes=tightest.free_bytes if tightest else 0,
            ),
        )
    return findings


async def collect(ctx) -> StorageFacts:
    return await ctx.system.storage()


CHECK = Check(
    id="computer.storage",
    category=Category.computer,
    premium=True,
    title_msgid=N_("Drives"),
    description_msgid=N_("Free space on every drive, and how much is read and written."),
    collect=collect,
    evaluate=evaluate,
    order=120,
)
