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
the UI and the premium gate. The report's models are `isp_common.diagnostics`, which the
server reads reports with; importing this package does not import psutil or httpx.

This package imports nothing of the application around it, only `isp_common` and its own
modules: the texts come in the translator the application passes in
(`assistant.diagnostics.i18n`), and premium decides elsewhere which checks may run.
"""

from assistant.diagnostics.catalogue import CheckInfo, catalogue, select_checks
from assistant.diagnostics.runner import run_diagnostics, stream_diagnostics
from assistant.diagnostics.settings import DiagnosticsSettings, MailServer, Thresholds
from isp_common.diagnostics.report import (
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
