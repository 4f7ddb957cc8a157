"""Health checks of the computer and the connection, turned into findings in plain words.

The public API; everything else in this package may change::

    from assistant.diagnostics import run_diagnostics, stream_diagnostics, catalogue

    report = await run_diagnostics(categories=["internet"], include_premium=False,
                                   on_result=lambda p: print(f"{p.done} of {p.total}"))
    report.model_dump_json()                        # what the server stores
    DiagnosticsReport.model_validate_json(text)     # and reads back

    async for progress in stream_diagnostics(language="de"):
        show(progress.result)                        # a CheckResult, as soon as it is done

``catalogue()`` lists every check (id, category, premium flag, title, description) for
the UI and the premium gate. Importing this package, or `assistant.diagnostics.report`
alone, does not import psutil or httpx: the server reads reports with the same models.
"""

from assistant.diagnostics.catalogue import CheckInfo, catalogue, select_checks
from assistant.diagnostics.report import (
    SCHEMA_VERSION,
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Finding,
    HostInfo,
    Progress,
    QuickLink,
    Severity,
)
from assistant.diagnostics.runner import run_diagnostics, stream_diagnostics
from assistant.diagnostics.settings import DiagnosticsSettings, MailServer, Thresholds

__all__ = [
    "SCHEMA_VERSION",
    "Category",
    "CheckInfo",
    "CheckResult",
    "CheckStatus",
    "DiagnosticsReport",
    "DiagnosticsSettings",
    "Finding",
    "HostInfo",
    "MailServer",
    "Progress",
    "QuickLink",
    "Severity",
    "Thresholds",
    "catalogue",
    "run_diagnostics",
    "select_checks",
    "stream_diagnostics",
]
