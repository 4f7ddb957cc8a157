"""A saved report reads the same as the screen, in the report's language, and never
overwrites an earlier file."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from html import unescape

from assistant.export import export, save
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Finding,
    HostInfo,
    QuickLink,
    Severity,
)
from tests.support.system import require_program

WHEN = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def german_report() -> DiagnosticsReport:
    return DiagnosticsReport(
        language="de",
        started_at=WHEN,
        finished_at=WHEN,
        host=HostInfo(
            hostname="küche-pc",
            os_family="windows",
            os_name="Windows 11",
            os_version="10.0.22631",
            machine="AMD64",
            assistant_version="0.1.0",
        ),
        checks=[
            CheckResult(
                check_id="internet.wifi",
                category=Category.internet,
                premium=False,
                title="WLAN",
                status=CheckStatus.completed,
                duration_ms=12.0,
                findings=[
                    Finding(
                        id="internet.wifi.weak_signal",
                        severity=Severity.warning,
                        title="Das WLAN-Signal ist schwach",
                        explanation="Die Verbindung zum Router ist schwach, Seiten laden langsam.",
                        steps=["Gehen Sie näher an den Router.", "Starten Sie den Router neu."],
                        quick_link=QuickLink.wifi,
                    )
                ],
            ),
            CheckResult(
                check_id="email.servers",
                category=Category.email,
                premium=False,
                title="E-Mail-Server",
                status=CheckStatus.unknown,
                reason="Es sind keine E-Mail-Server des Anbieters eingetragen.",
                advice="Ihre übrigen Ergebnisse sind davon nicht betroffen.",
                duration_ms=1.0,
            ),
        ],
    )


def test_the_html_report_is_in_german_with_the_findings_and_steps():
    html = unescape(export(german_report(), "html").decode("utf-8"))

    assert '<html lang="de">' in html
    assert "Bericht über Ihren Computer und Ihre Verbindung" in html
    assert "küche-pc" in html and "Windows 11" in html
    assert "Einiges braucht Ihre Aufmerksamkeit" in html  # the overall state, in words
    assert "Gesamtergebnis: Einige Warnungen" in html  # not a colour's name
    assert 'data-shape="warning"' in html  # a shape beside the colour
    assert "Das WLAN-Signal ist schwach" in html
    assert "<li>Gehen Sie näher an den Router.</li>" in html
    assert "Es sind keine E-Mail-Server des Anbieters eingetragen." in html
    assert "Was Sie tun können:</span> Ihre übrigen Ergebnisse sind davon nicht" in html
    assert "<script" not in html  # a file to send: nothing runs when it is opened


def test_the_pdf_report_prints_german_text_correctly():
    pdf = export(german_report(), "pdf")
    assert pdf.startswith(b"%PDF-")

    pdftotext = require_program("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = " ".join(text.split())
    assert "Bericht über Ihren Computer und Ihre Verbindung" in flat
    assert "Gesamtergebnis: Einige Warnungen" in flat
    assert "Das WLAN-Signal ist schwach" in flat
    assert "Gehen Sie näher an den Router." in flat
    assert "küche-pc" in flat
    assert "Was Sie tun können: Ihre übrigen Ergebnisse sind davon nicht betroffen." in flat


def test_saving_twice_keeps_both_files(tmp_path):
    report = german_report()
    first = save(report, "html", tmp_path)
    second = save(report, "pdf", tmp_path)
    third = save(report, "html", tmp_path)

    assert first.name.startswith("report_küche-pc_2025-03-")
    assert first.suffix == ".html" and second.suffix == ".pdf"
    assert len({first, second, third}) == 3
    assert all(path.exists() for path in (first, second, third))
    assert third.read_bytes() == first.read_bytes()


def finding_result(check_id: str, finding_id: str, severity: Severity) -> CheckResult:
    return CheckResult(
        check_id=check_id,
        category=Category.internet,
        premium=False,
        title=check_id,
        status=CheckStatus.completed,
        duration_ms=1.0,
        findings=[Finding(id=finding_id, severity=severity, title=finding_id, explanation="")],
    )


def test_the_saved_report_says_what_contradicting_findings_mean_together():
    report = german_report().model_copy(
        update={
            "language": "en",
            "checks": [
                finding_result("internet.gateway", "internet.gateway.no_answer", Severity.critical),
                finding_result("internet.reachability", "internet.reachability.ok", Severity.ok),
            ],
        }
    )
    html = unescape(export(report, "html").decode("utf-8"))
    assert "The internet works through your router even though the router itself" in html

    pdftotext = require_program("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=export(report, "pdf"), capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "The internet works through your router even though" in " ".join(text.split())
