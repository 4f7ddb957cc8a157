"""The conversation frames a portal tab sends on `/ws/staff`: watch (the conversation's
live events), write (the fast path for a live chat, the full rules for tickets and
files), fetch what the tab missed, typing. Each declares its access rule in
`STAFF_KINDS`: the staff member's relation to the conversation the frame names
(`chat.access`), checked before the handler runs. An agent's answer to a ticket also goes
to the customer by e-mail (`tickets`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.chat import access, flows, sending, service, tickets
from agent_portal.chat.access import Access
from agent_portal.chat.channel_handlers import ack_of, history, routing_facts
from agent_portal.chat.errors import N_, AttachmentInvalid, ConversationNotFound
from agent_portal.chat.schemas import StaffChatState
from agent_portal.realtime.dispatch import Relation, staff_kind
from agent_portal.realtime.hub import conversation_channel, device_channel, staff_channel
from agent_portal.realtime.schemas import INBOX_CHANGED
from agent_portal.realtime.staff_channel import StaffSession
from isp_common.live_wire import MESSAGE_MAX_CHARS, ChatHistory, ChatTyping, SenderKind


def _conversation_relation(name: str, needed: Access) -> Relation:
    def check(*, db_session: Session, sender, message) -> None:
        facts = access.facts(db_session=db_session, conversation_id=message.conversation_id)
        access.ensure(sender, facts, needed)

    return Relation(name, check)


SEES = _conversation_relation("sees the conversation", Access.see)
WRITES = _conversation_relation("writes in the conversation", Access.write)


def _agent_send(*, db_session: Session, staff, message, now, limit, text_limit):
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
        text_limit=text_limit,
    )


def post_as_agent(
    *,
    db_session: Session,
    conversation,
    staff_id,
    client_msg_id,
    text,
    now,
    limit,
    text_limit=MESSAGE_MAX_CHARS,
    attachment=None,
):
    """An agent's message (text or file); a ticket's answer also goes out by e-mail."""
    staff = db_session.get(StaffMember, staff_id)
    # Again here, in the transaction that stores: the conversation may have moved on.
    access.ensure(staff, conversation, Access.write)
    status_before = conversation.status
    service.check_text(text, attachment, limit=text_limit)  # no mail for a refused answer
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
        text_limit=text_limit,
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


async def watch(session: StaffSession, message) -> None:
    """The conversation's live events come to this tab for as long as the staff member
    sees it: the change that ends that (a handover, a close) is the last event it gets."""
    live, connection, staff = session.live, session.connection, session.staff

    async def while_related(channel: str, text: str) -> None:
        await connection.deliver(channel, text)
        if '"chat.state"' in text:
            state = StaffChatState.model_validate_json(text)
            facts = access.Facts(
                state.conversation.status, state.agent_id, state.conversation.kind.value
            )
            if not access.sees(staff, facts):
                await live.detach(connection, channel)

    channel = conversation_channel(message.conversation_id)
    await live.attach(connection, channel, while_related)
    # Checked again now that it listens: a handover between the rule's check and the
    # attach would otherwise have gone by unseen.
    facts = await live.run_db(access.facts, conversation_id=message.conversation_id)
    if not access.sees(staff, facts):
        await live.detach(connection, channel)
        access.ensure(staff, facts, Access.see)


STAFF_KINDS = {
    "watch": staff_kind(watch, roles=access.CONVERSATION_ROLES, relation=SEES),
    "chat.fetch": staff_kind(agent_fetch, roles=access.CONVERSATION_ROLES, relation=SEES),
    "chat.send": staff_kind(agent_send, roles=access.CONVERSATION_ROLES, relation=WRITES),
    "chat.typing": staff_kind(agent_typing, roles=access.CONVERSATION_ROLES, relation=WRITES),
}
