"""The report model: JSON in and out, versioning, and importing it without the heavy parts."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from assistant.diagnostics import (
    SCHEMA_VERSION,
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Finding,
    HostInfo,
    Severity,
)
from isp_common.diagnostics.facts import GatewayFacts, PortProbe


def _report() -> DiagnosticsReport:
    gateway = CheckResult(
        check_id="internet.gateway",
        category=Category.internet,
        premium=False,
        title="Router",
        status=CheckStatus.completed,
        duration_ms=12.0,
        facts=GatewayFacts(
            address="192.168.178.1",
            answers=False,
            probes=[PortProbe(port=80, outcome="timeout")],
        ),
        findings=[
            Finding(
                id="internet.gateway.no_answer",
                severity=Severity.critical,
                title="Your router does not answer",
                explanation="...",
                steps=["Restart the router."],
                quick_link="network",
                params={"address": "192.168.178.1"},
            )
        ],
    )
    smart = CheckResult(
        check_id="computer.disk_health",
        category=Category.computer,
        premium=True,
        title="Disk health",
        status=CheckStatus.unknown,
        reason="smartctl is not installed.",
        duration_ms=1.0,
    )
    wifi_info = Finding(
        id="internet.wifi.band_2_4", severity=Severity.info, title="t", explanation="e"
    )
    wifi = CheckResult(
        check_id="internet.wifi",
        category=Category.internet,
        premium=False,
        title="Wi-Fi",
        status=CheckStatus.completed,
        duration_ms=3.0,
        findings=[wifi_info],
    )
    return DiagnosticsReport(
        language="en",
        started_at=datetime(2024, 11, 24, 9, 0, tzinfo=UTC),
        host=HostInfo(
            hostname="pc",
            os_family="linux",
            os_name="Debian",
            os_version="6.1",
            machine="x86_64",
            assistant_version="0.1.0",
        ),
        checks=[gateway, smart, wifi],
    )


def test_a_report_survives_json_unchanged_with_typed_facts():
    report = _report()
    again = DiagnosticsReport.model_validate_json(report.model_dump_json())
    assert again == report
    assert isinstance(again.checks[0].facts, GatewayFacts)
    assert again.checks[0].facts.probes[0].outcome == "timeout"


def test_the_json_carries_version_overall_severity_and_per_check_severity():
    data = json.loads(_report().model_dump_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["severity"] == "critical"
    assert [c["severity"] for c in data["checks"]] == ["critical", None, "info"]
    assert data["checks"][0]["facts"]["kind"] == "gateway"
    assert data["checks"][1]["status"] == "unknown"
    assert data["checks"][1]["reason"] == "smartctl is not installed."


def test_a_report_from_a_newer_schema_is_refused_with_a_clear_message():
    data = json.loads(_report().model_dump_json())
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ValidationError, match="newer than this software understands"):
        DiagnosticsReport.model_validate(data)


def test_findings_come_worst_first_and_can_be_filtered():
    report = _report()
    assert [f.severity for f in report.findings()] == [Severity.critical, Severity.info]
    assert [f.id for f in report.findings(Severity.warning)] == ["internet.gateway.no_answer"]
    assert report.has_critical
    assert report.result("computer.disk_health").status is CheckStatus.unknown
    assert report.result("no.such.check") is None


def test_facts_of_an_unknown_kind_are_rejected():
    data = json.loads(_report().model_dump_json())
    data["checks"][0]["facts"]["kind"] = "teleporter"
    with pytest.raises(ValidationError):
        DiagnosticsReport.model_validate(data)


def test_the_report_module_imports_without_psutil_httpx_or_ui_code():
    code = (
        "import sys; import isp_common.diagnostics.report, assistant.diagnostics; "
        "print(sorted(m for m in ('psutil', 'httpx', 'rich', 'webview', 'fastapi') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
