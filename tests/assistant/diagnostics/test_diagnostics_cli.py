"""``isp-assistant diagnose`` run as a real program: JSON or table, and its exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.diagnostics import DiagnosticsReport, Severity
from tests.assistant.diagnostics.diagnostics_mail_server import mail_handler
from tests.assistant.diagnostics.diagnostics_support import closed_port


def diagnose(*args: str, **settings: object) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISP_ASSISTANT_")}
    env.update(
        ISP_ASSISTANT_GATEWAY="127.0.0.1",
        ISP_ASSISTANT_GATEWAY_PORTS=json.dumps([closed_port()]),
        ISP_ASSISTANT_INTERNET_ENDPOINTS=json.dumps([f"127.0.0.1:{closed_port()}"]),
        ISP_ASSISTANT_DNS_TEST_NAMES='["localhost"]',
        ISP_ASSISTANT_MODEM_URL=f"http://127.0.0.1:{closed_port()}/",
        ISP_ASSISTANT_NETWORK_TIMEOUT_SECONDS="2",
        COLUMNS="200",  # one finding per line, so phrases are not wrapped apart
    )
    env.update({f"ISP_ASSISTANT_{k.upper()}": v for k, v in settings.items()})
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_json_report_and_exit_status_1_when_something_is_critical():
    done = diagnose("diagnose", "--json", "--category", "internet")
    assert done.returncode == 1, done.stderr
    report = DiagnosticsReport.model_validate_json(done.stdout)
    assert {r.category.value for r in report.checks} == {"internet"}
    assert report.severity is Severity.critical
    gateway = report.result("internet.gateway")
    assert gateway.findings[0].id == "internet.gateway.no_answer"


def test_table_in_german_names_the_problem_and_the_fix():
    done = diagnose("diagnose", "--category", "internet", "--lang", "de")
    assert done.returncode == 1, done.stderr
    assert "Internet und WLAN" in done.stdout
    assert "Ihr Router antwortet nicht" in done.stdout
    assert "Kritisch" in done.stdout
    assert "→ Starten Sie den Router neu" in done.stdout
    # Name lookups work while nothing on the internet answers: said together, once.
    assert done.stdout.count("Namen von Webseiten werden noch gefunden") == 1


def test_language_given_before_the_command_is_kept():
    done = diagnose("--lang", "de", "diagnose", "--json", "--category", "internet")
    assert json.loads(done.stdout)["language"] == "de"


def test_exit_status_0_when_nothing_is_critical(tcp_server, certs):
    server = tcp_server(mail_handler("imap", certs.valid, starttls=False))
    servers = [{"protocol": "imap", "host": "127.0.0.1", "port": server.port}]
    done = diagnose(
        "diagnose",
        "--category",
        "email",
        "--lang",
        "en",
        mail_servers=json.dumps(servers),
        mail_ca_file=str(certs.ca_file),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Mail servers" in done.stdout
    assert "The mail servers answer" in done.stdout
    assert "Checks: 1 · critical: 0" in done.stdout


def test_an_unknown_category_is_refused_with_usage_help():
    done = diagnose("diagnose", "--category", "kitchen")
    assert done.returncode == 2
    assert "invalid choice: 'kitchen'" in done.stderr


# Each test runs `isp-assistant diagnose` as a program of its own (make test-fast leaves them out).
pytestmark = pytest.mark.subprocess
