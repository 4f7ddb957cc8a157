"""The one path a chat message takes from either side: plain text goes through the fast
path; anything else (attachments, a first message that changes the conversation) through
the full service call. The sender gets its acknowledgement first, then everyone the message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from agent_portal.chat import fast_path, flows
from agent_portal.chat.errors import ChatError
from agent_portal.unit_of_work import committed


async def send(
    session,
    message,
    *,
    sender: dict[str, Any],
    full_path: Callable[..., tuple],
    full_path_args: dict[str, Any],
    publish: Callable[[Any, Any, bool], Awaitable[None]],
) -> None:
    live = session.live
    text_limit = live.settings.chat_message_max_chars
    if message.attachment is None:
        stored = await live.run_db(
            committed(fast_path.post),
            conversation_id=message.conversation_id,
            client_msg_id=message.client_msg_id,
            text=message.text,
            now=live.now(),
            text_limit=text_limit,
            **sender,
        )
        if stored is not None:
            session.reply(stored.ack)
            await flows.publish_stored(live, message.conversation_id, stored)
            return
    try:
        ack, snapshot, status_changed = await live.run_db(
            committed(full_path),
            message=message,
            now=live.now(),
            limit=live.settings.chat_attachment_max_bytes,
            text_limit=text_limit,
            **full_path_args,
        )
    except ChatError as error:
        # The sender's client matches the refusal to the message it is retrying.
        error.client_msg_id = message.client_msg_id
        error.conversation_id = message.conversation_id
        raise
    session.reply(ack)
    await publish(live, snapshot, status_changed)
