"""The chat frames a customer's assistant sends on `/ws/device` (see
`isp_common.live_wire`); an agent's tab has `staff_handlers`.

Each declares its access rule in `DEVICE_KINDS`: a frame that names a conversation must
name one of the device's own customer, checked before the handler runs; the others act on
that customer alone. Each handler does its database work in one call of `live.run_db`
(which reads back what is needed to publish), then answers the sender and publishes
through `flows`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent_portal.chat import flows, routing, sending, service
from agent_portal.chat.errors import N_, AttachmentInvalid, ChatError, ConversationNotFound
from agent_portal.chat.schemas import attachment_info, message_info
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind, remember_grant
from agent_portal.realtime.hub import conversation_channel, staff_channel
from agent_portal.unit_of_work import committed
from isp_common.live_wire import (
    AttachmentData,
    ChatAck,
    ChatHistory,
    ChatList,
    ChatState,
    ChatTyping,
    SenderKind,
    b64encode,
)


def ack_of(posted: service.Posted) -> ChatAck:
    return ChatAck(
        conversation_id=posted.conversation.id,
        client_msg_id=posted.message.client_msg_id,
        seq=posted.message.seq,
        sent_at=posted.message.created_at,
        message=message_info(posted.message, customer_name=posted.conversation.customer.name),
    )


def _own(db_session: Session, conversation_id: int, customer_id: int):
    conversation = service.get_customer_conversation(
        db_session=db_session, conversation_id=conversation_id, customer_id=customer_id
    )
    if conversation is None:
        raise ConversationNotFound()
    return conversation


def _own_conversation(*, db_session: Session, sender, message) -> None:
    _own(db_session, message.conversation_id, sender.customer_id)


# Another customer's conversation is "not found", as one that does not exist. A
# conversation never changes its customer: once granted, the grant holds for the socket
# (and those the device started or listed on it are granted right away: its customer's).
OWN_CONVERSATION = Relation(
    "own customer's conversation",
    _own_conversation,
    lasting=lambda message: message.conversation_id,
)


# --- the customer's assistant ----------------------------------------------------------


def _start(*, db_session: Session, device, message, now, policy, text_limit):
    posted = service.start_conversation(
        db_session=db_session,
        customer_id=device.customer_id,
        device_id=device.id,
        topic=message.topic,
        client_msg_id=message.client_msg_id,
        text=message.text,
        now=now,
        text_limit=text_limit,
    )
    conversation = posted.conversation
    if posted.created:
        routing.route(db_session=db_session, conversation=conversation, now=now, policy=policy)
    return ack_of(posted), flows.snapshot(db_session, conversation, after_seq=posted.message.seq)


async def chat_start(session: DeviceSession, message) -> None:
    live = session.live
    async with flows.routing_lock(live):
        ack, snap = await live.run_db(
            committed(_start),
            device=session.device,
            message=message,
            now=live.now(),
            policy=flows.policy(live),
            text_limit=live.settings.chat_message_max_chars,
        )
    remember_grant(session, OWN_CONVERSATION, snap.info.id)
    session.reply(ChatState(conversation=snap.info, request_id=message.request_id))
    session.reply(ack)
    await flows.publish_messages(live, snap)
    await flows.publish_state(live, snap)


def _decode_attachment(message, limit: int) -> service.NewAttachment | None:
    upload = message.attachment
    if upload is None:
        return None
    try:
        data = upload.data()
    except ValueError:
        raise AttachmentInvalid(N_("The attachment could not be read (not base64).")) from None
    attachment = service.NewAttachment(upload.filename, upload.content_type, data)
    service.check_attachment(attachment, limit_bytes=limit)
    return attachment


def _customer_send(*, db_session: Session, device, message, now, limit, text_limit):
    conversation = _own(db_session, message.conversation_id, device.customer_id)
    status_before = conversation.status
    posted = service.post_message(
        db_session=db_session,
        conversation=conversation,
        sender="customer",
        client_msg_id=message.client_msg_id,
        text=message.text,
        attachment=_decode_attachment(message, limit),
        now=now,
        attachment_limit=limit,
        text_limit=text_limit,
    )
    return (
        ack_of(posted),
        flows.message_snapshot(db_session, posted),
        (status_before != conversation.status),
    )


async def chat_send(session: DeviceSession, message) -> None:
    await sending.send(
        session,
        message,
        sender={
            "sender_name": session.device.customer_name,
            "customer_id": session.device.customer_id,
        },
        full_path=_customer_send,
        full_path_args={"device": session.device},
        publish=_publish_customer_message,
    )


async def _publish_customer_message(live, snapshot, status_changed: bool) -> None:
    await flows.publish_messages(live, snapshot)
    if status_changed:
        await flows.publish_state(live, snapshot)


def history(*, db_session: Session, customer_id: int | None, conversation_id: int, after: int):
    if customer_id is None:
        conversation = service.get_conversation(
            db_session=db_session, conversation_id=conversation_id
        )
        if conversation is None:
            raise ConversationNotFound()
    else:
        conversation = _own(db_session, conversation_id, customer_id)
    return flows.snapshot(db_session, conversation, after_seq=after)


async def chat_fetch(session: DeviceSession, message) -> None:
    snap = await session.live.run_db(
        history,
        customer_id=session.device.customer_id,
        conversation_id=message.conversation_id,
        after=message.after_seq,
    )
    session.reply(
        ChatHistory(conversation=snap.info, messages=snap.messages, request_id=message.request_id)
    )


def _list(*, db_session: Session, customer_id: int):
    return [
        flows.snapshot(db_session, conversation).info
        for conversation in service.customer_conversations(
            db_session=db_session, customer_id=customer_id
        )
    ]


async def chat_list(session: DeviceSession, message) -> None:
    infos = await session.live.run_db(_list, customer_id=session.device.customer_id)
    for info in infos:
        remember_grant(session, OWN_CONVERSATION, info.id)
    session.reply(ChatList(conversations=infos, request_id=message.request_id))


def routing_facts(*, db_session: Session, customer_id: int | None, conversation_id: int):
    if customer_id is None:
        conversation = service.get_conversation(
            db_session=db_session, conversation_id=conversation_id
        )
    else:
        conversation = service.get_customer_conversation(
            db_session=db_session, conversation_id=conversation_id, customer_id=customer_id
        )
    if conversation is None:
        return None
    return conversation.device_id, conversation.agent_id


async def customer_typing(session: DeviceSession, message) -> None:
    live = session.live
    facts = await live.run_db(
        routing_facts,
        customer_id=session.device.customer_id,
        conversation_id=message.conversation_id,
    )
    if facts is None:
        raise ConversationNotFound()
    event = ChatTyping(
        conversation_id=message.conversation_id, typing=message.typing, sender=SenderKind.customer
    ).model_dump_json()
    await live.publish(conversation_channel(message.conversation_id), event)
    if facts[1] is not None:
        await live.publish(staff_channel(facts[1]), event)


def _close(*, db_session: Session, customer_id: int, conversation_id: int, now):
    conversation = _own(db_session, conversation_id, customer_id)
    last = conversation.last_seq
    posted = service.close_conversation(
        db_session=db_session, conversation=conversation, by="customer", now=now
    )
    return flows.snapshot(db_session, conversation, after_seq=last) if posted else None


async def chat_close(session: DeviceSession, message) -> None:
    live = session.live
    snap = await live.run_db(
        committed(_close),
        customer_id=session.device.customer_id,
        conversation_id=message.conversation_id,
        now=live.now(),
    )
    if snap is not None:
        await flows.publish_messages(live, snap)
        await flows.publish_state(live, snap)
        await flows.closed_hooks(live, message.conversation_id)
        await flows.route_waiting(live)


def _attachment(*, db_session: Session, customer_id: int, conversation_id: int, attachment_id):
    _own(db_session, conversation_id, customer_id)
    attachment = service.get_attachment(
        db_session=db_session, conversation_id=conversation_id, attachment_id=attachment_id
    )
    if attachment is None:
        raise ChatError(N_("There is no such attachment."))
    return attachment_info(attachment), b64encode(attachment.data)


async def attachment_get(session: DeviceSession, message) -> None:
    info, data = await session.live.run_db(
        _attachment,
        customer_id=session.device.customer_id,
        conversation_id=message.conversation_id,
        attachment_id=message.attachment_id,
    )
    session.reply(AttachmentData(request_id=message.request_id, attachment=info, data_base64=data))


DEVICE_KINDS = {
    # These two act on the device's own customer only: they name no conversation.
    "chat.start": device_kind(chat_start),
    "chat.list": device_kind(chat_list),
    "chat.send": device_kind(chat_send, relation=OWN_CONVERSATION),
    "chat.fetch": device_kind(chat_fetch, relation=OWN_CONVERSATION),
    "chat.typing": device_kind(customer_typing, relation=OWN_CONVERSATION),
    "chat.close": device_kind(chat_close, relation=OWN_CONVERSATION),
    "chat.attachment.get": device_kind(attachment_get, relation=OWN_CONVERSATION),
}
