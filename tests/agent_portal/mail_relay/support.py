"""Arranging a relayed conversation: a customer, an agent with an e-mail address, an
active chat between them, the relay switched on."""

from __future__ import annotations

from dataclasses import dataclass

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat import service as chat
from agent_portal.database import utcnow
from agent_portal.mail_relay import service as relay

RELAY_DOMAIN = "reply.example.net"


@dataclass
class Relayed:
    conversation_id: int
    customer_token: str
    staff_token: str
    staff: object

    def address(self, token: str) -> str:
        return relay.reply_address(token, RELAY_DOMAIN)


def relayed_chat(
    world, *, customer_language="de", staff_email="anna.berger@isp.example.net"
) -> Relayed:
    customer = world.customer(
        name="Erika Mustermann", email="erika@example.de", language=customer_language
    )
    anna = world.staff("anna.berger", topics=["email"], name="Anna Berger")
    with world.session() as db_session:
        member = db_session.get(StaffMember, anna.id)
        member.email = staff_email
        posted = chat.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            topic="email",
            client_msg_id="first",
            text="Outlook asks for my password.",
            now=utcnow(),
        )
        conversation = posted.conversation
        routing.take(db_session=db_session, conversation=conversation, agent=member, now=utcnow())
        relay.enable(db_session=db_session, conversation=conversation, now=utcnow())
        tokens = {
            p.role: p.token
            for p in relay.participants(db_session=db_session, conversation_id=conversation.id)
        }
        db_session.commit()
        return Relayed(conversation.id, tokens["customer"], tokens["staff"], anna)


def post(world, relayed: Relayed, sender: str, text: str, client_msg_id: str) -> None:
    with world.session() as db_session:
        conversation = chat.get_conversation(
            db_session=db_session, conversation_id=relayed.conversation_id
        )
        chat.post_message(
            db_session=db_session,
            conversation=conversation,
            sender=sender,
            staff_id=relayed.staff.id if sender == "agent" else None,
            client_msg_id=client_msg_id,
            text=text,
            now=utcnow(),
            attachment_limit=1000,
        )
        db_session.commit()
