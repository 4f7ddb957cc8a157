"""The mail check against real TLS servers on 127.0.0.1 with generated certificates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from diagnostics_support import closed_port, loopback_settings, mail_handler, run

from assistant.diagnostics import CheckStatus, Severity
from assistant.diagnostics.catalogue import get_check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.runner import run_check


def mail_check(servers, ca_file=None):
    settings = loopback_settings(
        mail_servers=servers, mail_ca_file=str(ca_file) if ca_file else None
    )
    return run(run_check(get_check("email.servers"), Collectors.create(settings)))


def imap(port: int, security: str = "ssl") -> dict:
    return {"protocol": "imap", "host": "127.0.0.1", "port": port, "security": security}


def test_a_server_with_a_trusted_certificate_is_fine(tcp_server, certs):
    server = tcp_server(mail_handler("imap", certs.valid, starttls=False))
    result = mail_check([imap(server.port)], certs.ca_file)
    (probe,) = result.facts.servers
    assert (probe.reachable, probe.tls_ok, probe.tls_problem) == (True, True, None)
    assert probe.tls_version.startswith("TLS")
    assert probe.certificate.subject_cn == "imap.example-isp.test"
    assert "127.0.0.1" in probe.certificate.names
    assert probe.detail is None  # it greeted as an IMAP server should
    assert [f.id for f in result.findings] == ["email.servers.ok"]


def test_an_expired_certificate_is_critical_and_names_the_date(tcp_server, certs):
    server = tcp_server(mail_handler("imap", certs.expired, starttls=False))
    result = mail_check([imap(server.port)], certs.ca_file)
    (probe,) = result.facts.servers
    assert (probe.tls_ok, probe.tls_problem) == (False, "expired")
    assert probe.certificate.not_after < datetime.now(UTC)
    (finding,) = result.findings
    assert (finding.id, finding.severity) == (
        "email.servers.certificate_expired",
        Severity.critical,
    )
    expired = probe.certificate.not_after.astimezone()
    assert f"{expired:%b} {expired.day}, {expired.year}" in finding.explanation  # "Nov 22, 2024"


def test_a_self_signed_certificate_is_not_trusted(tcp_server, certs):
    server = tcp_server(mail_handler("imap", certs.self_signed, starttls=False))
    result = mail_check([imap(server.port)], certs.ca_file)
    (probe,) = result.facts.servers
    assert (probe.tls_ok, probe.tls_problem) == (False, "self_signed")
    assert probe.certificate.self_signed is True  # read without trusting it
    assert [f.id for f in result.findings] == ["email.servers.certificate_untrusted"]


def test_a_certificate_for_another_name_is_not_trusted(tcp_server, certs):
    server = tcp_server(mail_handler("imap", certs.wrong_name, starttls=False))
    result = mail_check([imap(server.port)], certs.ca_file)
    assert result.facts.servers[0].tls_problem == "hostname_mismatch"
    assert result.facts.servers[0].certificate.names == ["mail.other.test"]
    assert result.severity is Severity.critical


@pytest.mark.parametrize(
    ("protocol", "port_kind"), [("imap", "starttls"), ("pop3", "starttls"), ("smtp", "starttls")]
)
def test_starttls_works_for_each_protocol(tcp_server, certs, protocol, port_kind):
    server = tcp_server(mail_handler(protocol, certs.valid, starttls=True))
    spec = {"protocol": protocol, "host": "127.0.0.1", "port": server.port, "security": port_kind}
    result = mail_check([spec], certs.ca_file)
    assert result.facts.servers[0].tls_ok is True
    assert result.severity is Severity.ok


def test_a_server_that_refuses_starttls_fails_encryption(tcp_server, certs):
    server = tcp_server(mail_handler("smtp", certs.valid, starttls=True, refuse_tls=True))
    spec = {"protocol": "smtp", "host": "127.0.0.1", "port": server.port, "security": "starttls"}
    result = mail_check([spec], certs.ca_file)
    assert result.facts.servers[0].tls_problem == "starttls_refused"
    assert [f.id for f in result.findings] == ["email.servers.encryption_failed"]


def test_a_mail_server_nobody_runs_does_not_answer(certs):
    result = mail_check([imap(closed_port())], certs.ca_file)
    probe = result.facts.servers[0]
    assert (probe.reachable, probe.outcome) == (False, "refused")
    assert [f.id for f in result.findings] == ["email.servers.unreachable"]
    assert "IMAP" in result.findings[0].explanation


def test_without_configured_servers_the_check_is_unknown():
    result = mail_check([])
    assert result.status is CheckStatus.unknown
    assert "mail servers" in result.reason
