"""When no agent is online a chat becomes a ticket; an agent answers later; the customer
sees the answer in the assistant and gets it by e-mail from a real SMTP server. A mail
server that is down delays the mail, it does not lose it, and it never holds up the chat."""

from __future__ import annotations

from agent_portal.chat.models import Conversation
from agent_portal.mail.models import OutboundEmail
from tests.support.live import wait_until
from tests.support.mailbox import smtp_server
from tests.support.postgres import free_port


def test_no_agent_online_makes_a_ticket_answered_by_mail_and_in_the_assistant(
    portal, world, assistant_for, staff_client
):
    customer = world.customer(name="Erika Mustermann", email="erika@example.de", language="de")
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["email"])
    assistant = assistant_for(key)
    with smtp_server() as (mailbox, port):
        world.settings.smtp_host, world.settings.smtp_port = "127.0.0.1", port
        info = assistant.call(assistant.help.start_chat("email", "Outlook asks for my password."))
        assert info.status.value == "ticket"
        assert "answer here and by e-mail" in assistant.help.status_text(info)

        tab = staff_client(anna)  # Anna comes in later and answers
        tab.send(
            {
                "type": "chat.send",
                "conversation_id": info.id,
                "client_msg_id": "answer",
                "text": "Please enter the new password from your letter.",
            }
        )
        tab.next("chat.ack", client_msg_id="answer")

        wait_until(lambda: mailbox.messages, what="the answer by e-mail")
        mail = mailbox.messages[0]
        assert mailbox.recipients[0] == ["erika@example.de"]
        assert mail["Subject"] == "Antwort auf Ihre Frage zum Thema: E-Mail"
        body = mail.get_content()
        assert "Hallo Erika Mustermann" in body
        assert "Please enter the new password from your letter." in body
        assert "Anna" in body

    wait_until(
        lambda: any(m.text.startswith("Please enter") for m in assistant.messages(info.id)),
        what="the answer in the assistant",
    )
    assert assistant.help.chat.conversation(info.id).status.value == "answered"
    with world.session() as db_session:
        assert db_session.get(Conversation, info.id).status == "answered"
    # The outbox records the delivery once the SMTP server has answered, a moment after
    # the mailbox already holds the message.
    wait_until(
        lambda: world.count(OutboundEmail, OutboundEmail.status == "sent") == 1,
        what="the outbox to record the mail as sent",
    )
    assert world.count(OutboundEmail) == 1


def test_a_ticket_answered_while_the_assistant_was_off_is_there_when_it_comes_back(
    portal, world, assistant_for, staff_client
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["contract"])
    first = assistant_for(key)
    info = first.call(first.help.start_chat("contract", "Can I change my tariff?"))
    first.stop()
    tab = staff_client(anna)
    tab.send(
        {
            "type": "chat.send",
            "conversation_id": info.id,
            "client_msg_id": "a",
            "text": "Yes, from next month.",
        }
    )
    tab.next("chat.ack", client_msg_id="a")

    later = assistant_for(key)  # a new start of the assistant, knowing nothing yet
    wait_until(lambda: len(later.messages(info.id)) == 3, what="the ticket and its answer")
    assert [m.text for m in later.messages(info.id)] == [
        "Can I change my tariff?",
        "",
        "Yes, from next month.",
    ]


def test_mail_waits_while_the_mail_server_is_down_and_goes_out_when_it_is_back(
    portal, world, assistant_for, staff_client
):
    port = free_port()  # nothing listens here yet
    world.settings.smtp_host, world.settings.smtp_port = "127.0.0.1", port
    world.settings.smtp_retry_seconds = 0.2
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"])
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "Which Wi-Fi channel is best?"))
    tab = staff_client(anna)
    tab.send(
        {
            "type": "chat.send",
            "conversation_id": info.id,
            "client_msg_id": "a",
            "text": "Channel 1, 6 or 11.",
        }
    )
    assert tab.next("chat.ack", client_msg_id="a")["seq"] == 3  # the chat is not held up

    def failed_once():
        rows = world.rows(OutboundEmail)
        return rows and rows[0].attempts >= 1 and rows[0]

    pending = wait_until(failed_once, what="a failed attempt")
    assert pending.status == "pending"
    assert "127.0.0.1" in pending.last_error
    with smtp_server(port) as (mailbox, _port):
        wait_until(lambda: mailbox.messages, what="the mail once the server is back")
        sent = wait_until(
            lambda: [row for row in world.rows(OutboundEmail) if row.status == "sent"],
            what="the outbox to record the mail as sent",
        )
    assert len(sent) == 1 and sent[0].attempts >= 2


def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(
    portal, world, assistant_for, staff_client
):
    world.settings.smtp_host, world.settings.smtp_port = "127.0.0.1", free_port()
    world.settings.smtp_retry_seconds = 0.1
    world.settings.smtp_max_attempts = 2
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"])
    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "Question"))
    tab = staff_client(anna)
    tab.send(
        {"type": "chat.send", "conversation_id": info.id, "client_msg_id": "a", "text": "Answer"}
    )
    tab.next("chat.ack", client_msg_id="a")
    failed = wait_until(
        lambda: [row for row in world.rows(OutboundEmail) if row.status == "failed"],
        what="the mail given up",
    )
    assert failed[0].attempts == 2
    assert "Answer" in failed[0].body
