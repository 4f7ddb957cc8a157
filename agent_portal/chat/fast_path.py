"""The common chat message, stored with three SQL statements and no ORM objects: a text
from the customer, or from the conversation's own agent, in a live (queued or active)
conversation. Every chat message under load is one of these, and the ORM's bookkeeping
costs more than the database work. Anything else (attachments, tickets, a repeat, a
closed conversation, a colleague's chat) returns None, and `service` handles it with
the full rules, errors and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.chat.service import check_text
from isp_common.live_wire import ChatAck, MessageInfo, SenderKind

LIVE = ("queued", "active")
conversations = Conversation.__table__
messages = ChatMessage.__table__


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
) -> Stored | None:
    """Stores the message (customer's when `customer_id` is given, else the agent's), or
    None when it is not the common case."""
    row = db_session.execute(
        select(
            conversations.c.customer_id,
            conversations.c.status,
            conversations.c.device_id,
            conversations.c.agent_id,
        ).where(conversations.c.id == conversation_id)
    ).one_or_none()
    if row is None or row.status not in LIVE or not text.strip():
        return None
    if customer_id is not None and row.customer_id != customer_id:
        return None
    if customer_id is None and (row.status != "active" or row.agent_id != staff_id):
        return None
    text = check_text(text, None)
    seq = db_session.execute(
        update(conversations)
        .where(conversations.c.id == conversation_id, conversations.c.status.in_(LIVE))
        .values(last_seq=conversations.c.last_seq + 1, updated_at=now)
        .returning(conversations.c.last_seq)
    ).scalar_one_or_none()
    if seq is None:  # changed meanwhile
        db_session.rollback()
        return None
    sender = SenderKind.customer if customer_id is not None else SenderKind.agent
    try:
        db_session.execute(
            insert(messages).values(
                conversation_id=conversation_id,
                seq=seq,
                sender=sender.value,
                staff_id=staff_id,
                client_msg_id=client_msg_id,
                text=text,
                params={},
                created_at=now,
            )
        )
        db_session.commit()
    except IntegrityError:  # a repeat: the full path answers with the stored message
        db_session.rollback()
        return None
    message = MessageInfo(
        seq=seq,
        sender=sender,
        sender_name=sender_name,
        text=text,
        sent_at=now,
        client_msg_id=client_msg_id,
    )
    ack = ChatAck(
        conversation_id=conversation_id,
        client_msg_id=client_msg_id,
        seq=seq,
        sent_at=now,
        message=message,
    )
    return Stored(ack, message, row.device_id, row.agent_id)
