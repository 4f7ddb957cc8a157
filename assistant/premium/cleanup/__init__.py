"""Premium cleanup of temporary files and browser caches: preview, confirm, delete, report.

cleaner = Cleaner(gate=gate)
preview = cleaner.preview()                      # what, where, how much
report = cleaner.run(preview.preview_id, [root.root_id for root in chosen],
                     progress=on_progress)       # only what the preview showed
"""

from assistant.premium.cleanup.cleaner import FEATURE_ID, Cleaner
from assistant.premium.cleanup.models import (
    CleanupPreview,
    CleanupProgress,
    CleanupReport,
    RootPreview,
    RootReport,
    RootStatus,
    SkippedFile,
    SkipReason,
)
from assistant.premium.cleanup.processes import UserProcesses
from assistant.premium.cleanup.roots import (
    Anchor,
    Browser,
    Locations,
    Platform,
    RootKind,
    RootSpec,
    current_platform,
    platform_from,
)

__all__ = [
    "FEATURE_ID",
    "Anchor",
    "Browser",
    "Cleaner",
    "CleanupPreview",
    "CleanupProgress",
    "CleanupReport",
    "Locations",
    "Platform",
    "RootKind",
    "RootPreview",
    "RootReport",
    "RootSpec",
    "RootStatus",
    "SkipReason",
    "SkippedFile",
    "UserProcesses",
    "current_platform",
    "platform_from",
]
