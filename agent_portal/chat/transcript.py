"""A conversation as the customer and the agents wrote it, for a draft knowledge-base
article (`agent_portal.knowledge.service.draft_from_transcript`)::

    found = chat.service.transcript(db_session=db_session, conversation_id=42)
    knowledge.service.draft_from_transcript(
        db_session=db_session, author=agent, title=found.title,
        messages=found.messages, language=found.language)

Internal handover notes are never part of it; system lines ("handed over to …") are in
`lines` but not in `messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.chat.topics import TOPIC_LABELS
from agent_portal.i18n import LOCALE_DIR
from isp_common.i18n import translations
from isp_common.live_wire import Topic


@dataclass(frozen=True)
class TranscriptLine:
    seq: int
    sender: str  # customer | agent | system
    author: str  # the customer's or agent's name; empty for system lines
    text: str
    sent_at: datetime
    attachment: str | None  # the file's name
    event: str | None  # for system lines: assigned, transferred, ticket, closed


@dataclass(frozen=True)
class Transcript:
    conversation_id: int
    topic: str
    title: str  # the topic, in the customer's language
    language: str  # the customer's language (de | en)
    lines: tuple[TranscriptLine, ...]

    @property
    def messages(self) -> list[tuple[str, str]]:
        """(speaker, text) of what people wrote, in order: the shape the knowledge base
        makes a draft from."""
        return [
            (line.sender, line.text)
            for line in self.lines
            if line.sender in ("customer", "agent") and line.text
        ]


def transcript(*, db_session: Session, conversation_id: int) -> Transcript | None:
    """The conversation's transcript; None for an unknown conversation."""
    conversation = db_session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    customer = conversation.customer
    rows = db_session.scalars(
        select(ChatMessage)
        .where(ChatMessage.conversation_id == conversation_id)
        .order_by(ChatMessage.seq)
    )
    lines = tuple(
        TranscriptLine(
            seq=message.seq,
            sender=message.sender,
            author=(
                message.staff.name
                if message.staff is not None
                else (customer.name or "")
                if message.sender == "customer"
                else ""
            ),
            text=message.text,
            sent_at=message.created_at,
            attachment=message.attachment.filename if message.attachment else None,
            event=message.event,
        )
        for message in rows
    )
    gettext = translations(LOCALE_DIR, "portal", customer.language).gettext
    return Transcript(
        conversation_id=conversation.id,
        topic=conversation.topic,
        title=gettext(TOPIC_LABELS[Topic(conversation.topic)]),
        language=customer.language,
        lines=lines,
    )
