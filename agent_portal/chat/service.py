"""Conversations and their messages: plain functions on a database session, `now` given by
the caller. Lookups return None when nothing is found; changes flush and never commit (the
socket handler, route or job that owns the work commits). A change of status
is one of the transitions of `chat.states`, stored with its system message
(`change_status`).

Storing a message raises the conversation's counter and inserts the message in one
transaction (`UPDATE … SET last_seq = last_seq + 1 RETURNING last_seq` locks the
conversation's row), so numbers are unique and gap-free under concurrent senders. A repeat
of a `client_msg_id` answers the stored message (`Posted.created` False).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from agent_portal.chat import states
from agent_portal.chat.errors import (
    N_,
    AttachmentInvalid,
    AttachmentTooLarge,
    ConversationClosed,
    EmptyMessage,
    MessageTooLong,
)
from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from agent_portal.chat.transcript import Transcript, TranscriptLine, transcript
from isp_common.file_names import safe_file_name
from isp_common.live_wire import MESSAGE_MAX_CHARS, Topic

__all__ = ["Transcript", "TranscriptLine", "transcript"]  # for the knowledge base, among others

OPEN_STATUSES = ("queued", "active", "ticket", "answered")
HISTORY_LIMIT = 500
CUSTOMER_LIST_LIMIT = 20


@dataclass(frozen=True)
class NewAttachment:
    filename: str  # as sent; made safe here, so no stored name can be a hazard on any side
    content_type: str
    data: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_file_name(self.filename, "attachment"))


@dataclass(frozen=True)
class Posted:
    message: ChatMessage
    conversation: Conversation
    created: bool  # False: the same client_msg_id was stored before


def get_conversation(*, db_session: Session, conversation_id: int) -> Conversation | None:
    return db_session.get(Conversation, conversation_id)


def get_customer_conversation(
    *, db_session: Session, conversation_id: int, customer_id: int
) -> Conversation | None:
    """The conversation if it is this customer's; None for anyone else's."""
    conversation = db_session.get(Conversation, conversation_id)
    if conversation is None or conversation.customer_id != customer_id:
        return None
    return conversation


def check_attachment(attachment: NewAttachment | None, *, limit_bytes: int) -> None:
    if attachment is None:
        return
    if len(attachment.data) > limit_bytes:
        raise AttachmentTooLarge(len(attachment.data), limit_bytes)
    if not attachment.data:
        raise AttachmentInvalid(N_("The attachment is empty."))


def check_text(
    text: str, attachment: NewAttachment | None, *, limit: int = MESSAGE_MAX_CHARS
) -> str:
    """The text to store: refused whole when empty or over `limit` characters, never cut."""
    text = text.strip()
    if not text and attachment is None:
        raise EmptyMessage()
    if len(text) > limit:
        raise MessageTooLong(len(text), limit)
    return text


def find_by_client_msg_id(db_session: Session, conversation_id: int, client_msg_id: str | None):
    if client_msg_id is None:
        return None
    return db_session.scalar(
        select(ChatMessage).where(
            ChatMessage.conversation_id == conversation_id,
            ChatMessage.client_msg_id == client_msg_id,
        )
    )


def _next_seq(db_session: Session, conversation_id: int, now: datetime) -> int:
    return db_session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + 1, updated_at=now)
        .returning(Conversation.last_seq),
        # The caller sets the counter on its object. Synchronising would look through
        # every object of the session for this row: over a whole queue in one session,
        # time that grows with the square of its length.
        execution_options={"synchronize_session": False},
    ).scalar_one()


def add_message(
    *,
    db_session: Session,
    conversation: Conversation,
    sender: str,
    now: datetime,
    text: str = "",
    client_msg_id: str | None = None,
    staff_id: int | None = None,
    attachment: NewAttachment | None = None,
    event: str | None = None,
    params: dict | None = None,
    text_limit: int = MESSAGE_MAX_CHARS,
) -> Posted:
    """Stores one message with the conversation's next number (see the module's notes)."""
    if event is None:
        text = check_text(text, attachment, limit=text_limit)
    # No look for a repeat first: the unique constraint finds it (below), which spares
    # every new message a query.
    seq = _next_seq(db_session, conversation.id, now)
    message = ChatMessage(
        conversation_id=conversation.id,
        seq=seq,
        sender=sender,
        staff_id=staff_id,
        client_msg_id=client_msg_id,
        text=text,
        event=event,
        params=params or {},
        created_at=now,
    )
    if attachment is not None:
        message.attachment = ChatAttachment(
            conversation_id=conversation.id,
            filename=attachment.filename,
            content_type=attachment.content_type,
            size_bytes=len(attachment.data),
            data=attachment.data,
            created_at=now,
        )
    db_session.add(message)
    try:
        db_session.flush()
    except IntegrityError:
        # This client_msg_id is stored already (a repeat, or two copies at once). The first
        # copy did this message's work: the handler's unit of work is rolled back (its
        # status change and e-mail with it), and the handler commits nothing.
        db_session.rollback()
        stored = find_by_client_msg_id(db_session, conversation.id, client_msg_id)
        if stored is None:
            raise
        db_session.refresh(conversation)
        return Posted(stored, conversation, created=False)
    # The counter is known: no need to read the row again (a rollback forgets it anyway).
    set_committed_value(conversation, "last_seq", seq)
    set_committed_value(conversation, "updated_at", now)
    return Posted(message, conversation, created=True)


def start_conversation(
    *,
    db_session: Session,
    customer_id: int,
    device_id: str | None,
    topic: Topic,
    client_msg_id: str,
    text: str,
    now: datetime,
    text_limit: int = MESSAGE_MAX_CHARS,
) -> Posted:
    """A new queued conversation with the customer's first message; the same
    `client_msg_id` again answers the conversation it started."""
    text = check_text(text, None, limit=text_limit)
    existing = db_session.scalar(
        select(Conversation).where(
            Conversation.customer_id == customer_id, Conversation.start_key == client_msg_id
        )
    )
    if existing is not None:
        first = find_by_client_msg_id(db_session, existing.id, client_msg_id)
        return Posted(first, existing, created=False)
    conversation = Conversation(
        customer_id=customer_id,
        device_id=device_id,
        topic=Topic(topic).value,
        status=states.INITIAL,
        start_key=client_msg_id,
        last_seq=0,
        created_at=now,
        updated_at=now,
        queued_at=now,
    )
    db_session.add(conversation)
    try:
        db_session.flush()
    except IntegrityError:
        db_session.rollback()
        return start_conversation(
            db_session=db_session,
            customer_id=customer_id,
            device_id=device_id,
            topic=topic,
            client_msg_id=client_msg_id,
            text=text,
            now=now,
            text_limit=text_limit,
        )
    return add_message(
        db_session=db_session,
        conversation=conversation,
        sender="customer",
        now=now,
        text=text,
        client_msg_id=client_msg_id,
        text_limit=text_limit,
    )


def post_message(
    *,
    db_session: Session,
    conversation: Conversation,
    sender: Literal["customer", "agent"],
    client_msg_id: str,
    text: str,
    now: datetime,
    staff_id: int | None = None,
    attachment: NewAttachment | None = None,
    attachment_limit: int,
    text_limit: int = MESSAGE_MAX_CHARS,
) -> Posted:
    """A customer's or an agent's message; on a ticket the agent's is the answer (the
    ticket becomes answered) and the customer's reopens an answered one."""
    if conversation.status == "closed":
        stored = find_by_client_msg_id(db_session, conversation.id, client_msg_id)
        if stored is not None:  # sent before the close, repeated after it
            return Posted(stored, conversation, created=False)
        raise ConversationClosed()
    check_attachment(attachment, limit_bytes=attachment_limit)
    # Before the status changes: a refusal changes nothing.
    text = check_text(text, attachment, limit=text_limit)
    event = states.after_message(sender, conversation.status)
    if event is not None:
        states.move(conversation, event, now=now)
    return add_message(
        db_session=db_session,
        conversation=conversation,
        sender=sender,
        staff_id=staff_id,
        now=now,
        text=text,
        client_msg_id=client_msg_id,
        attachment=attachment,
        text_limit=text_limit,
    )


def messages_after(
    *, db_session: Session, conversation_id: int, after_seq: int = 0, limit: int = HISTORY_LIMIT
) -> list[ChatMessage]:
    return list(
        db_session.scalars(
            select(ChatMessage)
            .where(ChatMessage.conversation_id == conversation_id, ChatMessage.seq > after_seq)
            .order_by(ChatMessage.seq)
            .limit(limit)
        )
    )


def customer_conversations(*, db_session: Session, customer_id: int) -> list[Conversation]:
    """The customer's open conversations and their latest closed ones, newest first."""
    return list(
        db_session.scalars(
            select(Conversation)
            .where(Conversation.customer_id == customer_id)
            .order_by(Conversation.created_at.desc(), Conversation.id.desc())
            .limit(CUSTOMER_LIST_LIMIT)
        )
    )


def queue_position(*, db_session: Session, conversation: Conversation) -> int | None:
    """1 for the next in its topic's queue; None when not queued."""
    if conversation.status != "queued" or conversation.queued_at is None:
        return None
    ahead = db_session.scalar(
        select(func.count())
        .select_from(Conversation)
        .where(
            Conversation.status == "queued",
            Conversation.topic == conversation.topic,
            (Conversation.queued_at < conversation.queued_at)
            | (
                (Conversation.queued_at == conversation.queued_at)
                & (Conversation.id < conversation.id)
            ),
        )
    )
    return ahead + 1


def close_conversation(
    *, db_session: Session, conversation: Conversation, by: str, now: datetime
) -> Posted | None:
    """Closes it with a system message saying who did; None when it was closed already."""
    if conversation.status == "closed":
        return None
    return change_status(
        db_session=db_session, conversation=conversation, event=states.Event.close, now=now, by=by
    )


def change_status(
    *,
    db_session: Session,
    conversation: Conversation,
    event: states.Event,
    now: datetime,
    agent=None,
    topic: str | None = None,
    by: str | None = None,
) -> Posted:
    """Moves the conversation by `event` (`chat.states`) and stores the system message
    that tells both sides, in one transaction."""
    note = states.move(conversation, event, now=now, agent=agent, topic=topic, by=by)
    if note is None:
        raise ValueError(f"{event.value} comes with a message of its own, not a system one")
    return add_message(
        db_session=db_session,
        conversation=conversation,
        sender="system",
        now=now,
        event=note.event,
        params=note.params,
    )


def get_attachment(
    *, db_session: Session, conversation_id: int, attachment_id: int
) -> ChatAttachment | None:
    attachment = db_session.get(ChatAttachment, attachment_id)
    if attachment is None or attachment.conversation_id != conversation_id:
        return None
    return attachment
