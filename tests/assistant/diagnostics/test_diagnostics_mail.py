"""The mail check against real TLS servers on 127.0.0.1 with generated certificates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.diagnostics import CheckStatus, Severity
from assistant.diagnostics.catalogue import get_check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.runner import run_check
from tests.assistant.diagnostics.diagnostics_mail_server import (
    MULTI_LINE_SMTP_GREETING,
    EndlessLine,
    mail_handler,
)
from tests.assistant.diagnostics.diagnostics_support import closed_port, loopback_settings, run


def mail_check(servers, ca_file=None, **settings):
    settings = loopback_settings(
        mail_servers=servers, mail_ca_file=str(ca_file) if ca_file else None, **settings
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


def test_a_garbled_greeting_after_a_good_handshake_keeps_the_certificate(tcp_server, certs):
    server = tcp_server(
        mail_handler("imap", certs.valid, starttls=False, greeting=b"* BYE go away\r\n")
    )
    (probe,) = mail_check([imap(server.port)], certs.ca_file).facts.servers
    assert (probe.tls_ok, probe.tls_problem, probe.detail) == (True, None, "* BYE go away")
    assert probe.certificate.subject_cn == "imap.example-isp.test"


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


def smtp(port: int, security: str = "starttls") -> dict:
    return {"protocol": "smtp", "host": "127.0.0.1", "port": port, "security": security}


@pytest.mark.parametrize("protocol", ["imap", "pop3", "smtp"])
def test_a_server_that_does_not_offer_starttls_is_told_from_one_that_refuses_it(
    tcp_server, certs, protocol
):
    server = tcp_server(mail_handler(protocol, certs.valid, starttls=True, offer_tls=False))
    spec = {"protocol": protocol, "host": "127.0.0.1", "port": server.port, "security": "starttls"}
    result = mail_check([spec], certs.ca_file)
    (probe,) = result.facts.servers
    assert (probe.reachable, probe.tls_ok, probe.tls_problem) == (
        True,
        False,
        "starttls_not_offered",
    )
    assert [f.id for f in result.findings] == ["email.servers.encryption_failed"]


def test_a_multi_line_smtp_greeting_is_read_whole_before_starttls(tcp_server, certs):
    server = tcp_server(
        mail_handler("smtp", certs.valid, starttls=True, greeting=MULTI_LINE_SMTP_GREETING)
    )
    result = mail_check([smtp(server.port)], certs.ca_file)
    (probe,) = result.facts.servers
    assert (probe.tls_ok, probe.tls_problem) == (True, None)
    assert probe.certificate.subject_cn == "imap.example-isp.test"
    assert [f.id for f in result.findings] == ["email.servers.ok"]


def test_a_multi_line_smtp_greeting_without_starttls_is_not_mistaken_for_a_refusal(
    tcp_server, certs
):
    server = tcp_server(
        mail_handler(
            "smtp",
            certs.valid,
            starttls=True,
            offer_tls=False,
            greeting=MULTI_LINE_SMTP_GREETING,
        )
    )
    probe = mail_check([smtp(server.port)], certs.ca_file).facts.servers[0]
    assert (probe.tls_ok, probe.tls_problem) == (False, "starttls_not_offered")


def test_a_multi_line_greeting_on_a_plain_server_is_a_proper_greeting(tcp_server, certs):
    server = tcp_server(
        mail_handler("smtp", certs.valid, starttls=True, greeting=MULTI_LINE_SMTP_GREETING)
    )
    probe = mail_check([smtp(server.port, "none")], certs.ca_file).facts.servers[0]
    assert (probe.reachable, probe.tls_ok, probe.detail) == (True, None, None)


def test_a_plain_server_that_greets_with_an_error_is_reported_with_its_words(tcp_server, certs):
    server = tcp_server(
        mail_handler("pop3", certs.valid, starttls=True, greeting=b"-ERR too many connections\r\n")
    )
    spec = {"protocol": "pop3", "host": "127.0.0.1", "port": server.port, "security": "none"}
    probe = mail_check([spec], certs.ca_file).facts.servers[0]
    assert probe.reachable is True
    assert "too many connections" in probe.detail


@pytest.mark.parametrize(
    ("protocol", "start"), [("smtp", b"220-"), ("imap", b"* OK "), ("pop3", b"+OK ")]
)
def test_an_endless_greeting_line_is_cut_short_not_read_into_memory(
    tcp_server, certs, protocol, start
):
    endless = EndlessLine(start)
    server = tcp_server(endless)
    spec = {"protocol": protocol, "host": "127.0.0.1", "port": server.port, "security": "starttls"}
    # A client that read the whole line would take far longer than this limit.
    result = mail_check([spec], certs.ca_file, check_timeout_seconds=30.0)
    assert result.status is CheckStatus.completed, result.reason
    (probe,) = result.facts.servers
    assert (probe.reachable, probe.tls_ok, probe.tls_problem) == (True, False, "handshake_failed")
    assert probe.detail
    # What the kernel's socket buffers hold at most, not the whole line.
    assert max(endless.sent) < 64 * 1024 * 1024


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
