"""The chat domain's rows in their wire form (`isp_common.live_wire`), as both the
assistant and the portal's script receive them."""

from __future__ import annotations

from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from isp_common.live_wire import (
    AttachmentInfo,
    ChatState,
    ConversationInfo,
    ConversationKind,
    ConversationStatus,
    MessageInfo,
    SenderKind,
    SystemEvent,
    Topic,
)


def attachment_info(attachment: ChatAttachment | None) -> AttachmentInfo | None:
    if attachment is None:
        return None
    return AttachmentInfo(
        id=attachment.id,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size_bytes=attachment.size_bytes,
    )


def message_info(message: ChatMessage, *, customer_name: str = "") -> MessageInfo:
    if message.sender == "agent":
        name = message.staff.name if message.staff is not None else ""
    elif message.sender == "customer":
        name = customer_name
    else:
        name = ""
    return MessageInfo(
        seq=message.seq,
        sender=SenderKind(message.sender),
        sender_name=name,
        text=message.text,
        attachment=attachment_info(message.attachment),
        sent_at=message.created_at,
        client_msg_id=message.client_msg_id,
        event=SystemEvent(message.event) if message.event else None,
        params={key: str(value) for key, value in (message.params or {}).items()},
    )


def conversation_info(
    conversation: Conversation, *, queue_position: int | None = None
) -> ConversationInfo:
    return ConversationInfo(
        id=conversation.id,
        topic=Topic(conversation.topic),
        status=ConversationStatus(conversation.status),
        queue_position=queue_position,
        agent_name=conversation.agent.name if conversation.agent is not None else None,
        last_seq=conversation.last_seq,
        created_at=conversation.created_at,
        kind=ConversationKind(conversation.kind or "hotline"),
    )


class StaffChatState(ChatState):
    """`chat.state` as portal tabs get it on a conversation's channel: with the agent's id,
    so a tab's watch ends when the change takes the conversation from the staff member.
    The customer's device gets the plain `ChatState`."""

    agent_id: int | None = None
