"""The common chat message, stored without ORM objects: a text from the customer, or from
the conversation's own agent, in a live (queued or active) conversation. Every chat
message under load is one of these, and the ORM's bookkeeping costs more than the
database work. Anything else (attachments, tickets, a repeat, a closed conversation, a
colleague's chat) returns None, and `service` handles it with the full rules, errors and
all.

One statement takes the conversation's next number only if the sender may write there
now, so checking and counting are one step. On PostgreSQL the message is stored in the
same statement (a data-modifying WITH), which is atomic on its own: one round trip to the
database instead of four. SQLite, in the process, takes two statements in a transaction,
which the handler commits (`unit_of_work.committed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.chat.models import ChatMessage, Conversation
from isp_common.live_wire import MESSAGE_MAX_CHARS, ChatAck, MessageInfo, SenderKind

LIVE = ("queued", "active")
conversations = Conversation.__table__
messages = ChatMessage.__table__
STORED_COLUMNS = [
    "conversation_id",
    "seq",
    "sender",
    "staff_id",
    "client_msg_id",
    "text",
    "params",
    "created_at",
]


def _next_seq(*who_may_write):
    return (
        update(conversations)
        .where(conversations.c.id == bindparam("conversation"), *who_may_write)
        .values(last_seq=conversations.c.last_seq + 1, updated_at=bindparam("now"))
        .returning(
            conversations.c.id,
            conversations.c.last_seq,
            conversations.c.device_id,
            conversations.c.agent_id,
        )
    )


def _next_seq_and_store(next_seq):
    """PostgreSQL: the number and the message in one statement."""
    taken = next_seq.cte("taken")
    values = select(
        taken.c.id,
        taken.c.last_seq,
        *(
            # Not the columns' own names: those would also be set on the conversation.
            bindparam(f"message_{name}", type_=messages.c[name].type)
            for name in STORED_COLUMNS
            if name not in ("conversation_id", "seq")
        ),
    )
    stored = insert(messages).from_select(STORED_COLUMNS, values).returning(messages.c.seq)
    stored = stored.cte("stored")
    return select(taken.c.id, taken.c.last_seq, taken.c.device_id, taken.c.agent_id).select_from(
        taken.join(stored, stored.c.seq == taken.c.last_seq)
    )


# Built once: a statement object keeps its compiled form and cache key, so each message
# pays only for running it.
CUSTOMER_NEXT_SEQ = _next_seq(
    conversations.c.customer_id == bindparam("sender_customer"), conversations.c.status.in_(LIVE)
)
AGENT_NEXT_SEQ = _next_seq(
    conversations.c.agent_id == bindparam("sender_staff"), conversations.c.status == "active"
)
STORE_MESSAGE = insert(messages)
CUSTOMER_POST = _next_seq_and_store(CUSTOMER_NEXT_SEQ)
AGENT_POST = _next_seq_and_store(AGENT_NEXT_SEQ)


@dataclass(frozen=True)
class Stored:
    ack: ChatAck
    message: MessageInfo
    device_id: str | None
    agent_id: int | None


def post(
    *,
    db_session: Session,
    conversation_id: int,
    client_msg_id: str,
    text: str,
    now: datetime,
    sender_name: str,
    customer_id: int | None = None,
    staff_id: int | None = None,
    text_limit: int = MESSAGE_MAX_CHARS,
) -> Stored | None:
    """Stores the message (customer's when `customer_id` is given, else the agent's), or
    None when it is not the common case."""
    text = text.strip()
    if not text or len(text) > text_limit:
        return None  # the full path refuses it, in words
    sender = SenderKind.customer if customer_id is not None else SenderKind.agent
    who = {"conversation": conversation_id, "now": now}
    if customer_id is not None:
        who["sender_customer"] = customer_id
    else:
        who["sender_staff"] = staff_id
    message_row = {
        "sender": sender.value,
        "staff_id": staff_id,
        "client_msg_id": client_msg_id,
        "text": text,
        "params": {},
        "created_at": now,
    }
    store = _store_in_one if db_session.get_bind().dialect.name == "postgresql" else _store_in_two
    try:
        taken = store(db_session, who, message_row, customer=customer_id is not None)
    except IntegrityError:  # a repeat: the full path answers with the stored message
        db_session.rollback()
        return None
    if taken is None:  # not the common case (or not this sender's): the full rules say
        return None
    message = MessageInfo(
        seq=taken.last_seq,
        sender=sender,
        sender_name=sender_name,
        text=text,
        sent_at=now,
        client_msg_id=client_msg_id,
    )
    ack = ChatAck(
        conversation_id=conversation_id,
        client_msg_id=client_msg_id,
        seq=taken.last_seq,
        sent_at=now,
        message=message,
    )
    return Stored(ack, message, taken.device_id, taken.agent_id)


def _store_in_one(db_session: Session, who: dict, message_row: dict, *, customer: bool):
    # One atomic statement needs no transaction around it: no BEGIN, no COMMIT.
    connection: Connection = db_session.connection(
        execution_options={"isolation_level": "AUTOCOMMIT"}
    )
    statement = CUSTOMER_POST if customer else AGENT_POST
    message = {f"message_{name}": value for name, value in message_row.items()}
    return connection.execute(statement, {**who, **message}).first()


def _store_in_two(db_session: Session, who: dict, message_row: dict, *, customer: bool):
    connection = db_session.connection()
    taken = connection.execute(CUSTOMER_NEXT_SEQ if customer else AGENT_NEXT_SEQ, who).first()
    if taken is None:
        db_session.rollback()
        return None
    connection.execute(
        STORE_MESSAGE, {**message_row, "conversation_id": taken.id, "seq": taken.last_seq}
    )
    return taken  # the handler commits
