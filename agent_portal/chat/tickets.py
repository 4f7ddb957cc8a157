"""Tickets: a chat that found nobody online waits for an answer, and the answer also goes
to the customer by e-mail, in the customer's language, through the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from agent_portal.chat.errors import N_
from agent_portal.chat.models import Conversation
from agent_portal.chat.topics import TOPIC_LABELS
from agent_portal.i18n import LOCALE_DIR
from agent_portal.mail import service as mail_service
from isp_common.i18n import translations
from isp_common.live_wire import Topic

SUBJECT = N_("Answer to your question about: %(topic)s")
BODY = N_(
    "Hello %(name)s,\n\n"
    "%(agent)s from our hotline has answered your question:\n\n"
    "%(answer)s\n\n"
    "You can read the whole conversation and reply in your assistant under Live help.\n\n"
    "Kind regards\n"
    "Your support team"
)


# Whether a conversation's messages already reach the customer by another mail (the mail
# relay registers itself): such a conversation gets no answer e-mail of its own, or the
# customer would read every answer twice.
CarriedByMail = Callable[[Session, int], bool]
_mail_carriers: list[CarriedByMail] = []


def add_mail_carrier(carried: CarriedByMail) -> None:
    if carried not in _mail_carriers:
        _mail_carriers.append(carried)


def carried_by_mail(db_session: Session, conversation_id: int) -> bool:
    return any(carried(db_session, conversation_id) for carried in _mail_carriers)


def answer_email(*, conversation: Conversation, agent_name: str, answer: str) -> tuple[str, str]:
    """Subject and body of the e-mail that carries an answer, in the customer's language."""
    customer = conversation.customer
    gettext = translations(LOCALE_DIR, "portal", customer.language).gettext
    topic = gettext(TOPIC_LABELS[Topic(conversation.topic)])
    subject = gettext(SUBJECT) % {"topic": topic}
    body = gettext(BODY) % {"name": customer.name or "", "agent": agent_name, "answer": answer}
    return subject, body


def queue_answer_email(
    *, db_session: Session, conversation: Conversation, agent_name: str, answer: str, now: datetime
) -> bool:
    """Adds the e-mail to the outbox in the caller's transaction; False when the customer
    has no address (erased) or the conversation is relayed by mail (its copy carries the
    answer)."""
    address = conversation.customer.email
    if not address or carried_by_mail(db_session, conversation.id):
        return False
    subject, body = answer_email(conversation=conversation, agent_name=agent_name, answer=answer)
    mail_service.enqueue(
        db_session=db_session,
        to_address=address,
        subject=subject,
        body=body,
        now=now,
        conversation_id=conversation.id,
    )
    return True
