"""A ticket's answer goes to the customer by e-mail once: a ticket that is also relayed by
mail gets the relay's copy (with its reply address), never the ticket's answer e-mail as
well; a ticket that is not relayed still gets its answer e-mail."""

from __future__ import annotations

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat
from agent_portal.chat.models import Conversation
from agent_portal.chat.staff_handlers import post_as_agent
from agent_portal.database import utcnow
from agent_portal.mail.models import OutboundEmail
from agent_portal.mail_relay import service as relay
from tests.agent_portal.mail_relay.support import RELAY_DOMAIN


def ticket(world, *, relayed: bool) -> tuple[int, int]:
    customer = world.customer(name="Erika Mustermann", email="erika@example.de", language="de")
    anna = world.staff("anna.berger", topics=["email"], name="Anna Berger")
    with world.session() as db_session:
        db_session.get(StaffMember, anna.id).email = "anna.berger@isp.example.net"
        conversation = chat.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            topic="email",
            client_msg_id="first",
            text="Outlook asks for my password.",
            now=utcnow(),
        ).conversation
        routing.make_ticket(db_session=db_session, conversation=conversation, now=utcnow())
        if relayed:
            relay.enable(
                db_session=db_session, conversation=conversation, now=utcnow(), staff_ids=[anna.id]
            )
        db_session.commit()
        return conversation.id, anna.id


def answer(world, conversation_id: int, staff_id: int) -> None:
    with world.session() as db_session:
        post_as_agent(
            db_session=db_session,
            conversation=db_session.get(Conversation, conversation_id),
            staff_id=staff_id,
            client_msg_id="answer-1",
            text="Please enter the new password.",
            now=utcnow(),
            limit=1000,
        )
        db_session.commit()


def test_a_relayed_ticket_s_answer_reaches_the_customer_once_as_the_relay_s_copy(world):
    conversation_id, anna_id = ticket(world, relayed=True)
    answer(world, conversation_id, anna_id)
    assert world.rows(OutboundEmail) == []  # no ticket answer e-mail
    with world.session() as db_session:
        queued = relay.queue_copies(
            db_session=db_session, now=utcnow(), domain=RELAY_DOMAIN, default_language="en"
        )
        db_session.commit()
    assert queued == 1
    [mail] = world.rows(OutboundEmail)
    assert mail.to_address == "erika@example.de"
    assert "Please enter the new password." in mail.body
    assert mail.reply_to.endswith("@" + RELAY_DOMAIN)


def test_a_ticket_that_is_not_relayed_still_mails_its_answer(world):
    conversation_id, anna_id = ticket(world, relayed=False)
    answer(world, conversation_id, anna_id)
    [mail] = world.rows(OutboundEmail)
    assert mail.to_address == "erika@example.de"
    assert "Please enter the new password." in mail.body
    assert mail.reply_to is None
