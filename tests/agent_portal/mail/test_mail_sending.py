"""The outbox's sender against real SMTP servers on 127.0.0.1 (aiosmtpd): a refusal for
good ends the mail at once with the server's words, a refusal for now is tried again, and
mail goes out over implicit TLS (port 465) and STARTTLS with a verified certificate."""

from __future__ import annotations

import asyncio
import smtplib
import socket
import time
from datetime import timedelta

import pytest
from pydantic import ValidationError

from agent_portal.config import PortalSettings
from agent_portal.live import build_live
from agent_portal.mail import sender, service
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail.worker import send_due
from isp_common.clock import utc_now
from tests.support.certificates import make_loopback_certificates
from tests.support.mailbox import smtp_server


def queue_mail(world, to_address: str = "erika@example.de") -> int:
    with world.session() as db_session:
        email = service.enqueue(
            db_session=db_session,
            to_address=to_address,
            subject="Your question",
            body="Channel 1, 6 or 11.",
            now=utc_now(),
        )
        db_session.commit()
        return email.id


def send_round(settings: PortalSettings) -> None:
    """One round of the outbox's background job, as the running server does it."""

    async def once() -> None:
        live = build_live(settings)
        try:
            await send_due(live)
        finally:
            await live.stop()

    asyncio.run(once())


def stored(world, email_id: int) -> OutboundEmail:
    (row,) = world.rows(OutboundEmail, OutboundEmail.id == email_id)
    return row


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("MAIL", "553 5.7.1 Sender address not allowed"),
        ("RCPT", "550 5.1.1 No such mailbox here"),
        ("DATA", "554 5.7.1 Message refused as spam"),
    ],
)
def test_a_mail_the_server_refuses_for_good_fails_at_once_with_its_answer(
    settings, world, command, answer
):
    settings.smtp_max_attempts = 5
    with smtp_server(answers={command: answer}) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        email_id = queue_mail(world)
        send_round(settings)
        row = stored(world, email_id)
        assert (row.status, row.attempts) == ("failed", 1)
        assert answer in row.last_error
        send_round(settings)  # nothing is due any more: the server is not asked again
    assert mailbox.messages == []
    assert len(mailbox.mails_begun) == 1  # asked once


def test_a_mail_the_server_defers_is_tried_again_and_then_goes_out(settings, world):
    settings.smtp_retry_seconds = 0.05
    with smtp_server(answers={"RCPT": "451 4.3.0 Mailbox busy, try later"}) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        email_id = queue_mail(world)
        before = utc_now()
        send_round(settings)
        row = stored(world, email_id)
        assert (row.status, row.attempts) == ("pending", 1)
        assert "451 4.3.0 Mailbox busy, try later" in row.last_error
        assert row.next_attempt_at >= before + timedelta(seconds=0.05)
        mailbox.answers.clear()  # the server takes mail again
        time.sleep(0.1)  # past the retry time
        send_round(settings)
    row = stored(world, email_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert [m["Subject"] for m in mailbox.messages] == ["Your question"]


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_mail_goes_out_encrypted_to_a_server_with_a_trusted_certificate(
    settings, world, tmp_path, security
):
    certificates = make_loopback_certificates(tmp_path / "tls")
    context = certificates.server_context()
    tls_kind = {"tls": {"tls": context}, "starttls": {"starttls": context}}[security]
    with smtp_server(**tls_kind) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        settings.smtp_security = security
        settings.smtp_ca_file = certificates.ca_file
        email_id = queue_mail(world)
        send_round(settings)
    assert stored(world, email_id).status == "sent"
    assert mailbox.recipients == [["erika@example.de"]]


def test_implicit_tls_to_a_server_with_an_untrusted_certificate_sends_nothing(
    settings, world, tmp_path
):
    served = make_loopback_certificates(tmp_path / "served", ca_name="Someone Else's CA")
    trusted = make_loopback_certificates(tmp_path / "trusted")
    with smtp_server(tls=served.server_context()) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        settings.smtp_security = "tls"
        settings.smtp_ca_file = trusted.ca_file
        email_id = queue_mail(world)
        send_round(settings)
    row = stored(world, email_id)
    assert (row.status, row.attempts) == ("pending", 1)  # tried again: the fix is ours
    assert "certificate verify failed" in row.last_error
    assert mailbox.messages == []


@pytest.mark.parametrize("security", ["none", "tls"])
def test_the_mail_server_is_greeted_with_the_configured_name(settings, world, tmp_path, security):
    certificates = make_loopback_certificates(tmp_path / "tls")
    served = {"tls": certificates.server_context()} if security == "tls" else {}
    with smtp_server(**served) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        settings.smtp_security, settings.smtp_ca_file = security, certificates.ca_file
        settings.smtp_helo_name = "portal.example.net"
        email_id = queue_mail(world)
        send_round(settings)
    assert stored(world, email_id).status == "sent"
    assert mailbox.greetings == ["portal.example.net"]


def test_without_a_configured_name_the_machine_name_is_looked_up_once(settings, world, monkeypatch):
    """smtplib would look it up for every mail, which takes seconds where reverse DNS is
    slow; the portal looks once and greets with the same name as smtplib would."""
    expected = smtplib.SMTP().local_hostname  # what smtplib greets with on this machine
    lookups = []
    real_lookup = socket.getfqdn

    def counted_lookup(*args):
        lookups.append(args)
        return real_lookup(*args)

    monkeypatch.setattr(socket, "getfqdn", counted_lookup)
    sender.machine_name.cache_clear()
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        for _ in range(2):
            queue_mail(world)
            send_round(settings)
    sender.machine_name.cache_clear()  # the next test looks for itself
    assert len(mailbox.messages) == 2
    assert mailbox.greetings == [expected, expected]
    assert len(lookups) == 1


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Portal.Example.NET.", "portal.example.net"),
        ("portal.straße.example", "portal.xn--strae-oqa.example"),
        ("[192.0.2.25]", "[192.0.2.25]"),
        ("[IPv6:2001:db8::25]", "[IPv6:2001:db8::25]"),
        ("", ""),
    ],
)
def test_a_greeting_name_is_kept_as_mail_servers_read_it(name, kept):
    assert PortalSettings(_env_file=None, smtp_helo_name=name).smtp_helo_name == kept


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("portal example", "is not a mail domain"),
        ("-portal.example.net", "is not a mail domain"),
        ("[300.1.2.3]", "is no address literal; e.g. [192.0.2.25]"),
        ("[2001:db8::25]", "is no address literal; e.g. [192.0.2.25] or [IPv6:2001:db8::25]"),
        ("[IPv6:192.0.2.25]", "is no address literal"),
    ],
)
def test_a_greeting_name_mail_servers_would_refuse_stops_the_start(name, says):
    with pytest.raises(ValidationError, match="smtp_helo_name") as refused:
        PortalSettings(_env_file=None, smtp_helo_name=name)
    assert says in str(refused.value)


def test_the_older_starttls_setting_still_means_starttls():
    assert PortalSettings(_env_file=None, smtp_starttls=True).smtp_security == "starttls"
    assert PortalSettings(_env_file=None).smtp_security == "none"


def test_contradicting_encryption_settings_are_refused_by_name():
    with pytest.raises(ValidationError, match="smtp_starttls"):
        PortalSettings(_env_file=None, smtp_starttls=True, smtp_security="tls")
    with pytest.raises(ValidationError, match="smtp_security"):
        PortalSettings(_env_file=None, smtp_security="ssl")


def test_an_attached_file_goes_out_with_the_mail(settings, world):
    pdf = b"%PDF-1.3\n% an invoice\n%%EOF\n"
    with world.session() as db_session:
        email_id = service.enqueue(
            db_session=db_session,
            to_address="erika@example.de",
            subject="Ihre Rechnung 2026-000001",
            body="Im Anhang finden Sie die Rechnung.",
            now=utc_now(),
            attachment=service.Attachment("invoice-2026-000001.pdf", "application/pdf", pdf),
        ).id
        db_session.commit()
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        send_round(settings)
    assert stored(world, email_id).status == "sent"
    (message,) = mailbox.messages
    assert message.get_body(("plain",)).get_content().strip() == (
        "Im Anhang finden Sie die Rechnung."
    )
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "invoice-2026-000001.pdf"
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == pdf
