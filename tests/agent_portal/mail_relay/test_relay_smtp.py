"""The relay end to end, with real SMTP on loopback: the running portal mails each message
to the other side through a real SMTP server (aiosmtpd), from the portal's address with the
recipient's own reply address, and the other side's address nowhere in it; a reply sent
with smtplib to the portal's receiver lands in the conversation and on the agent's open
socket; a stranger, a forged From and an unknown address are refused with the SMTP answer
the sending program sees, and nothing is stored; a mail server that defers gets the copy
again later."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from agent_portal.app import create_app
from agent_portal.audit.models import AuditEntry
from agent_portal.chat.models import ChatMessage
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail.sender import SmtpSender
from tests.agent_portal.mail_relay.support import RELAY_DOMAIN, post, relayed_chat
from tests.support.live import wait_until
from tests.support.live_server import LiveServer
from tests.support.mailbox import smtp_server

ERIKA = "erika@example.de"
ANNA = "anna.berger@isp.example.net"


def receiver_port(settings) -> int:
    port = int(settings.mail_relay_listen.rpartition(":")[2])

    def listening() -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as smtp:
                return smtp.noop()[0] == 250
        except OSError:
            return False

    wait_until(listening, what="the relay's receiver to listen")
    return port


def send_mail(settings, *, sender: str, to: str, text: str, from_header: str | None = None):
    message = EmailMessage()
    message["From"] = from_header or sender
    message["To"] = to
    message["Subject"] = "Re: Ihr Gespräch zum Thema: E-Mail"
    message["Message-ID"] = make_msgid(domain="example.de")
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", receiver_port(settings), timeout=10) as smtp:
        smtp.send_message(message, from_addr=sender, to_addrs=[to])


def texts_of(world, relayed, sender: str) -> list[str]:
    return [
        m.text
        for m in world.rows(
            ChatMessage,
            ChatMessage.conversation_id == relayed.conversation_id,
            ChatMessage.sender == sender,
            order=ChatMessage.seq,
        )
    ]


def test_each_side_gets_the_other_s_messages_by_mail_without_the_other_s_address(
    portal, settings, world, staff_client
):
    relayed = relayed_chat(world)
    tab = staff_client(relayed.staff)
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        post(world, relayed, "customer", "It still asks for the password.", "c1")
        wait_until(lambda: mailbox.messages, what="the customer's message by mail")
        tab.send(
            {
                "type": "chat.send",
                "conversation_id": relayed.conversation_id,
                "client_msg_id": "a1",
                "text": "Please enter the one from your letter.",
            }
        )
        tab.next("chat.ack", client_msg_id="a1")
        wait_until(lambda: len(mailbox.messages) == 2, what="the agent's answer by mail")
    to_anna, to_erika = mailbox.messages
    assert mailbox.recipients == [[ANNA], [ERIKA]]
    assert to_anna["From"].addresses[0].display_name == "Erika Mustermann"
    assert to_anna["From"].addresses[0].addr_spec == settings.smtp_from
    assert to_anna["Reply-To"] == relayed.address(relayed.staff_token)
    assert "It still asks for the password." in to_anna.get_content()
    assert to_erika["From"].addresses[0].display_name == "Anna Berger"
    assert to_erika["Reply-To"] == relayed.address(relayed.customer_token)
    assert to_erika["Subject"] == "Ihr Gespräch zum Thema: E-Mail"
    assert "Please enter the one from your letter." in to_erika.get_content()
    assert ERIKA.encode() not in to_anna.as_bytes()
    assert ANNA.encode() not in to_erika.as_bytes()
    assert mailbox.mails_begun == [settings.smtp_from, settings.smtp_from]


def test_a_reply_by_mail_lands_in_the_conversation_and_on_the_agent_s_socket(
    portal, settings, world, staff_client
):
    relayed = relayed_chat(world)
    tab = staff_client(relayed.staff)
    send_mail(
        settings,
        sender=ERIKA,
        to=relayed.address(relayed.customer_token),
        text="Ja, jetzt geht es.\n\nAm 02.12.2026 um 10:00 schrieb Anna Berger:\n> Bitte ...",
    )
    frame = tab.next("chat.message", conversation_id=relayed.conversation_id)
    assert frame["message"]["text"] == "Ja, jetzt geht es."
    assert frame["message"]["sender"] == "customer"
    assert texts_of(world, relayed, "customer")[-1] == "Ja, jetzt geht es."
    # Anna answers by mail too: her message, under her name.
    send_mail(settings, sender=ANNA, to=relayed.address(relayed.staff_token), text="Prima!")
    wait_until(lambda: texts_of(world, relayed, "agent") == ["Prima!"], what="Anna's reply")


@pytest.mark.parametrize(
    ("sender", "from_header", "refused_at"),
    [
        ("mallory@example.com", None, "RCPT"),
        ("mallory@example.com", ERIKA, "RCPT"),
        (ERIKA, "mallory@example.com", "DATA"),
        (ANNA, None, "RCPT"),  # the other participant on the customer's address
    ],
)
def test_a_reply_not_from_the_participant_is_refused_with_550_and_nothing_is_stored(
    portal, settings, world, sender, from_header, refused_at
):
    relayed = relayed_chat(world)
    error = {"RCPT": smtplib.SMTPRecipientsRefused, "DATA": smtplib.SMTPDataError}[refused_at]
    with pytest.raises(error) as refused:
        send_mail(
            settings,
            sender=sender,
            to=relayed.address(relayed.customer_token),
            text="Let me in.",
            from_header=from_header,
        )
    if refused_at == "RCPT":
        ((code, text),) = refused.value.recipients.values()
    else:
        code, text = refused.value.smtp_code, refused.value.smtp_error
    assert code == 550
    assert b"only from its own participant" in text
    assert texts_of(world, relayed, "customer") == ["Outlook asks for my password."]
    assert world.count(AuditEntry, AuditEntry.event == "mail_relay_reply_refused") == 1


@pytest.mark.parametrize(
    "address",
    [f"r-{'a' * 26}@{RELAY_DOMAIN}", "r-guess@" + RELAY_DOMAIN, "postmaster@example.net"],
)
def test_mail_to_an_unknown_address_is_refused_at_rcpt(portal, settings, world, address):
    relayed = relayed_chat(world)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send_mail(settings, sender=ERIKA, to=address, text="Hello?")
    ((code, text),) = refused.value.recipients.values()
    assert (code, text) == (550, b"5.1.1 No such reply address")
    assert texts_of(world, relayed, "customer") == ["Outlook asks for my password."]


def test_a_copy_the_mail_server_defers_goes_out_on_a_later_attempt(portal, settings, world):
    relayed = relayed_chat(world)
    with smtp_server(answers={"RCPT": "451 4.3.0 Try again later"}) as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        post(world, relayed, "customer", "Hello Anna", "c1")
        wait_until(
            lambda: world.count(OutboundEmail, OutboundEmail.attempts >= 1),
            what="a first, deferred attempt",
        )
        mailbox.answers.clear()
        wait_until(lambda: mailbox.messages, what="the copy on a later attempt")
    wait_until(lambda: world.count(OutboundEmail, OutboundEmail.status == "sent") == 1)
    (row,) = world.rows(OutboundEmail)
    assert row.attempts >= 2
    assert row.reply_to == relayed.address(relayed.staff_token)


def test_of_two_workers_one_receives_and_the_other_takes_over_when_it_stops(
    portal, portal_app, settings, world
):
    relayed = relayed_chat(world)
    address = relayed.address(relayed.customer_token)
    receiver_port(settings)  # the first worker receives
    second_app = create_app(settings)
    second = LiveServer(second_app).start()
    try:
        send_mail(settings, sender=ERIKA, to=address, text="Eins")
        portal.stop()  # the second worker binds the address at its next attempt
        send_mail(settings, sender=ERIKA, to=address, text="Zwei")
    finally:
        second.stop()
        second_app.state.engine.dispose()
    assert texts_of(world, relayed, "customer")[-2:] == ["Eins", "Zwei"]


def test_a_sender_name_with_line_breaks_stays_one_header_line():
    with smtp_server() as (mailbox, port):
        SmtpSender("127.0.0.1", port, "support@example.net").send(
            to_address=ANNA,
            subject="Ihr Gespräch",
            body="Hallo",
            from_name="Erika\r\nBcc: mallory@example.com",
            reply_to=f"r-{'a' * 26}@{RELAY_DOMAIN}",
        )
    (mail,) = mailbox.messages
    assert mail["Bcc"] is None
    assert mail["From"].addresses[0].display_name == "Erika Bcc: mallory@example.com"
    assert mailbox.recipients == [[ANNA]]
