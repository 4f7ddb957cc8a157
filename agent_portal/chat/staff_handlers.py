"""The chat frames an agent's portal tab sends on `/ws/staff`: write (the fast path for a
live chat, the full rules for tickets and files), fetch what the tab missed, typing.
An agent's answer to a ticket also goes to the customer by e-mail (`tickets`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import flows, routing, sending, service, tickets
from agent_portal.chat.channel_handlers import ack_of, history, routing_facts
from agent_portal.chat.errors import N_, AttachmentInvalid, ChatError, ConversationNotFound
from agent_portal.realtime.hub import device_channel, staff_channel
from agent_portal.realtime.schemas import INBOX_CHANGED
from agent_portal.realtime.staff_channel import StaffSession
from isp_common.live_wire import ChatHistory, ChatTyping, SenderKind


def may_write(conversation, staff) -> None:
    """Agents write in their own chats and in any ticket; admins anywhere."""
    if staff.role not in routing.CHAT_ROLES:
        raise ChatError(N_("Only hotline agents and admins write to customers."))
    if staff.role == "admin" or conversation.status in ("ticket", "answered"):
        return
    if conversation.status == "queued":
        raise ChatError(N_("Take the conversation from the queue before you write."))
    if conversation.agent_id != staff.id:
        raise ChatError(N_("This chat belongs to a colleague; ask them to hand it over."))


def _agent_send(*, db_session: Session, staff, message, now, limit):
    conversation = service.get_conversation(
        db_session=db_session, conversation_id=message.conversation_id
    )
    if conversation is None:
        raise ConversationNotFound()
    if message.attachment is not None:
        raise AttachmentInvalid(N_("Attach files with the upload form of the chat page."))
    return post_as_agent(
        db_session=db_session,
        conversation=conversation,
        staff_id=staff.id,
        client_msg_id=message.client_msg_id,
        text=message.text,
        now=now,
        limit=limit,
    )


def post_as_agent(
    *, db_session: Session, conversation, staff_id, client_msg_id, text, now, limit, attachment=None
):
    """An agent's message (text or file); a ticket's answer also goes out by e-mail."""
    staff = db_session.get(StaffMember, staff_id)
    may_write(conversation, staff)
    status_before = conversation.status
    known = service.find_by_client_msg_id(db_session, conversation.id, client_msg_id)
    if known is None and status_before in ("ticket", "answered"):
        answer = text.strip() or (attachment.filename if attachment else "")
        tickets.queue_answer_email(
            db_session=db_session,
            conversation=conversation,
            agent_name=staff.name,
            answer=answer,
            now=now,
        )
    posted = service.post_message(
        db_session=db_session,
        conversation=conversation,
        sender="agent",
        staff_id=staff.id,
        client_msg_id=client_msg_id,
        text=text,
        attachment=attachment,
        now=now,
        attachment_limit=limit,
    )
    return (
        ack_of(posted),
        flows.message_snapshot(db_session, posted),
        (status_before != conversation.status),
    )


async def agent_send(session: StaffSession, message) -> None:
    await sending.send(
        session,
        message,
        sender={"sender_name": session.staff.name, "staff_id": session.staff.id},
        full_path=_agent_send,
        full_path_args={"staff": session.staff},
        publish=publish_agent_message,
    )


async def publish_agent_message(live, snap, changed: bool) -> None:
    await flows.publish_messages(live, snap)
    if changed:
        await flows.publish_state(live, snap)
    else:
        await live.publish(staff_channel(snap.agent_id or 0), INBOX_CHANGED)


async def agent_fetch(session: StaffSession, message) -> None:
    snap = await session.live.run_db(
        history, customer_id=None, conversation_id=message.conversation_id, after=message.after_seq
    )
    session.reply(
        ChatHistory(conversation=snap.info, messages=snap.messages, request_id=message.request_id)
    )


async def agent_typing(session: StaffSession, message) -> None:
    live = session.live
    facts = await live.run_db(
        routing_facts, customer_id=None, conversation_id=message.conversation_id
    )
    if facts is None:
        raise ConversationNotFound()
    if facts[0] is not None:
        event = ChatTyping(
            conversation_id=message.conversation_id, typing=message.typing, sender=SenderKind.agent
        )
        await live.publish(device_channel(facts[0]), event)


STAFF_HANDLERS = {"chat.send": agent_send, "chat.fetch": agent_fetch, "chat.typing": agent_typing}
