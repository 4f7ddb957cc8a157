"""End to end with real SMTP on loopback: a customer leaves an offline message for an
expert, who gets it by mail through a real SMTP server (aiosmtpd) with a reply address of
the conversation and never the customer's address; the expert's reply by mail (smtplib to
the portal's receiver) lands in the conversation, a stranger's is refused; the expert
proposes an appointment, the customer accepts it over the assistant's signed API, and both
receive the appointment as an .ics attachment (METHOD:REQUEST, one UID, the start in UTC)."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest

from agent_portal.chat.models import ChatMessage
from agent_portal.config import PortalSettings
from isp_common.appointments_wire import APPOINTMENTS_PATH, AppointmentList, AppointmentView
from isp_common.premium_wire import device_request_headers
from tests.agent_portal.experts.appointments.support import (
    CUSTOMER_EMAIL,
    EXPERT_EMAIL,
    prechat,
    propose_fixed,
)
from tests.agent_portal.mail_relay.support import RELAY_DOMAIN
from tests.agent_portal.mail_relay.test_relay_smtp import receiver_port
from tests.support.live import wait_until
from tests.support.mailbox import smtp_server
from tests.support.postgres import free_port

ZURICH = ZoneInfo("Europe/Zurich")
OFFLINE_MESSAGE = "Können Sie mir mit meinem NAS helfen?"


@pytest.fixture
def settings(database_url: str, tmp_path) -> PortalSettings:
    return PortalSettings(
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "portal-data",
        login_failure_delay_seconds=0,
        live_sweep_seconds=0.2,
        default_language="en",
        smtp_retry_seconds=0.05,
        mail_relay_domain=RELAY_DOMAIN,
        mail_relay_listen=f"127.0.0.1:{free_port()}",
        time_zone="Europe/Zurich",
    )


def signed(http: httpx.Client, key, device_id: str, method: str, target: str) -> httpx.Response:
    headers = device_request_headers(
        sign=key.sign,
        device_id=device_id,
        method=method,
        target=target.encode(),
        body=b"",
        timestamp=int(time.time()),
    )
    return http.request(method, target, headers=headers)


def reply(settings, *, sender: str, to: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Ihr Gespräch"
    message["Message-ID"] = make_msgid(domain="example.net")
    message.set_content(text)
    with smtplib.SMTP("127.0.0.1", receiver_port(settings), timeout=10) as smtp:
        smtp.send_message(message, from_addr=sender, to_addrs=[to])


def calendar_of(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "appointment.ics"
    assert part.get_param("method") == "REQUEST"
    return icalendar.Calendar.from_ical(part.get_content())


def expert_texts(world, conversation_id) -> list[str]:
    rows = world.rows(
        ChatMessage,
        ChatMessage.conversation_id == conversation_id,
        ChatMessage.sender == "agent",
        order=ChatMessage.seq,
    )
    return [row.text for row in rows]


def test_an_offline_message_and_an_accepted_appointment_travel_by_mail_with_the_ics(
    portal, settings, world, http
):
    with smtp_server() as (mailbox, port):
        settings.smtp_host, settings.smtp_port = "127.0.0.1", port
        chat = prechat(world)  # the expert has no portal tab open: an offline message
        device, key = world.device(chat.customer)

        def to(address):
            return [
                m
                for m, r in zip(mailbox.messages, mailbox.recipients, strict=False)
                if r == [address]
            ]

        wait_until(lambda: to(EXPERT_EMAIL), what="the offline message by mail")
        [copy] = to(EXPERT_EMAIL)
        assert OFFLINE_MESSAGE in copy.get_content()
        assert copy["Subject"] == "Your conversation with the expert Mira Keller"
        assert CUSTOMER_EMAIL.encode() not in copy.as_bytes()
        expert_reply_to = str(copy["Reply-To"])
        assert expert_reply_to.endswith("@" + RELAY_DOMAIN)

        # The expert answers by mail; a stranger on the same address is refused.
        reply(settings, sender=EXPERT_EMAIL, to=expert_reply_to, text="Gerne, morgen?")
        wait_until(
            lambda: expert_texts(world, chat.conversation_id) == ["Gerne, morgen?"],
            what="the expert's mailed reply in the conversation",
        )
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            reply(settings, sender="mallory@example.com", to=expert_reply_to, text="Hallo")
        assert refused.value.recipients[expert_reply_to][0] == 550
        assert expert_texts(world, chat.conversation_id) == ["Gerne, morgen?"]

        # The expert proposes; the customer accepts in the assistant (its signed API).
        start = (datetime.now(UTC) + timedelta(days=2)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        with world.session() as db_session:
            proposed = propose_fixed(db_session, chat, start).id
            db_session.commit()
        listed = AppointmentList.model_validate(
            signed(http, key, device.id, "GET", APPOINTMENTS_PATH).json()
        )
        assert [a.id for a in listed.appointments] == [proposed]
        answer = signed(http, key, device.id, "POST", f"{APPOINTMENTS_PATH}/{proposed}/accept")
        assert answer.status_code == 200, answer.text
        assert AppointmentView.model_validate(answer.json()).status == "accepted"
        wait_until(
            lambda: (
                len([m for m in mailbox.messages if m.get_content_type() == "multipart/mixed"]) == 2
            ),
            what="the appointment with its .ics to both",
        )
    invitations = [m for m in mailbox.messages if m.get_content_type() == "multipart/mixed"]
    uids = set()
    for message in invitations:
        [event] = calendar_of(message).walk("VEVENT")
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + timedelta(minutes=45)
        uids.add(str(event["UID"]))
    assert len(uids) == 1
    [to_customer] = [m for m in invitations if m["To"] == CUSTOMER_EMAIL]
    [to_expert] = [m for m in invitations if m["To"] == EXPERT_EMAIL]
    assert EXPERT_EMAIL.encode() not in to_customer.as_bytes()
    assert CUSTOMER_EMAIL.encode() not in to_expert.as_bytes()
    assert to_customer["Subject"].startswith("Termin mit Mira Keller")
    assert "Festpreis 60,00" in to_customer.get_body(("plain",)).get_content()
    # Accepting again is refused with the reason, nothing mailed twice.
    again = signed(http, key, device.id, "POST", f"{APPOINTMENTS_PATH}/{proposed}/accept")
    assert again.status_code == 409
    assert again.json()["code"] == "appointment_state"
