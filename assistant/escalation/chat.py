"""Live chat from the customer's side, over the device channel.

    chat = ChatClient(channel, on_message=show, on_state=show_status)
    conversation = await chat.start("wifi", "My Wi-Fi drops every evening.")
    await chat.send(conversation.id, "It started last week.")
    await chat.send(conversation.id, "", attachment=Attachment.from_path(screenshot))
    chat.messages(conversation.id)        # every message once, in order

Sending: each message gets its own id and is sent again (after `retry_seconds`, and at
once after a reconnect) until the server acknowledges it with its number; the server
stores a repeat only once. Receiving: each number is shown once (`on_message` is called
once per message); after every reconnect the client asks for the conversations and
fetches whatever came after the last number it has.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import mimetypes
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.escalation.channel import DeviceChannel
from assistant.escalation.errors import (
    AttachmentTooLarge,
    MessageTooLong,
    NotConnected,
    ServerRefused,
)
from isp_common.live_wire import (
    AttachmentGet,
    AttachmentUpload,
    ChatClose,
    ChatFetch,
    ChatListRequest,
    ChatSend,
    ChatStart,
    ChatTyping,
    ConversationInfo,
    MessageInfo,
    OfferAnswer,
    PrechatStart,
    SenderKind,
    b64decode,
    b64encode,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path) -> Attachment:
        path = Path(path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return cls(path.name, content_type, path.read_bytes())


@dataclass
class _Pending:
    frame: object
    future: asyncio.Future
    sent_at: float = 0.0


@dataclass
class Conversation:
    info: ConversationInfo
    messages: dict[int, MessageInfo] = field(default_factory=dict)
    delivered: int = 0  # every number up to this one has gone to on_message

    @property
    def last_seq(self) -> int:
        """The last number without a gap before it: fetching goes on from here."""
        return self.delivered


class ChatClient:
    def __init__(
        self,
        channel: DeviceChannel,
        *,
        on_message: Callable[[int, MessageInfo], object] | None = None,
        on_state: Callable[[ConversationInfo], object] | None = None,
        on_typing: Callable[[int, bool], object] | None = None,
        retry_seconds: float = 5.0,
    ) -> None:
        self.channel = channel
        self.on_message = on_message
        self.on_state = on_state
        self.on_typing = on_typing
        self.retry_seconds = retry_seconds
        self.conversations: dict[int, Conversation] = {}
        self._pending: dict[str, _Pending] = {}  # by client_msg_id (or request_id)
        self._requests: dict[str, asyncio.Future] = {}
        self._retry_task: asyncio.Task | None = None
        for frame_type, handler in {
            "chat.state": self._on_state,
            "chat.message": self._on_message,
            "chat.history": self._on_history,
            "chat.list": self._on_list,
            "chat.ack": self._on_ack,
            "chat.typing": self._on_typing,
            "chat.attachment": self._on_attachment,
            "error": self._on_error,
        }.items():
            channel.on(frame_type, handler)
        channel.on_connected(self._resume)

    # --- what the UI calls ----------------------------------------------------------

    async def start(self, topic: str, text: str, timeout: float | None = None):
        """Starts a conversation with its first message; its `ConversationInfo` (status,
        queue position, agent) once the server has it. Retried across reconnects."""
        self.check_text(text)
        key = uuid.uuid4().hex
        frame = ChatStart(request_id=key, topic=topic, client_msg_id=key, text=text)
        info = await self._until_answered(key, frame, timeout)
        return info

    async def start_prechat(self, expert_id: int, text: str, timeout: float | None = None):
        """Starts a free pre-chat with an expert with its first message; its
        `ConversationInfo` (kind `expert_prechat`, the expert as its agent). An expert who
        is not online gets it as an offline message (a system message says so). Retried
        across reconnects, like `start`."""
        self.check_text(text)
        key = uuid.uuid4().hex
        frame = PrechatStart(request_id=key, expert_id=expert_id, client_msg_id=key, text=text)
        return await self._until_answered(key, frame, timeout)

    async def send(
        self,
        conversation_id: int,
        text: str,
        *,
        attachment: Attachment | None = None,
        timeout: float | None = None,
        client_msg_id: str | None = None,
    ) -> MessageInfo:
        """Sends a message and returns it with its number once the server has stored it
        (on_message sees it too, in its place). `client_msg_id` (default: a new one) lets
        the UI tell its "sending" entry from the stored message.
        AttachmentTooLarge or MessageTooLong before anything is sent when the file or the
        text is over the server's limit."""
        self.check_text(text)
        upload = None
        if attachment is not None:
            self.check_attachment(len(attachment.data))
            upload = AttachmentUpload(
                filename=attachment.filename,
                content_type=attachment.content_type,
                data_base64=b64encode(attachment.data),
            )
        key = client_msg_id or uuid.uuid4().hex
        frame = ChatSend(
            conversation_id=conversation_id, client_msg_id=key, text=text, attachment=upload
        )
        ack = await self._until_answered(key, frame, timeout)
        message = ack.message or MessageInfo(
            seq=ack.seq,
            sender=SenderKind.customer,
            text=text.strip(),
            sent_at=ack.sent_at,
            client_msg_id=key,
        )
        await self._store(conversation_id, message)
        return message

    @property
    def attachment_limit(self) -> int | None:
        """The largest file the server takes, in bytes (None before the first connect)."""
        return self.channel.limits.attachment_max_bytes if self.channel.limits else None

    @property
    def message_limit(self) -> int | None:
        """The longest message the server takes, in characters (None before the first
        connect)."""
        return self.channel.limits.message_max_chars if self.channel.limits else None

    def check_text(self, text: str) -> None:
        """MessageTooLong when the text is over the server's limit (counted as the server
        counts: without the spaces around it)."""
        limit = self.message_limit
        length = len(text.strip())
        if limit is not None and length > limit:
            raise MessageTooLong(length, limit)

    def check_attachment(self, size_bytes: int) -> None:
        """AttachmentTooLarge when a file of this size is over the server's limit."""
        limit = self.attachment_limit
        if limit is not None and size_bytes > limit:
            raise AttachmentTooLarge(size_bytes, limit)

    async def typing(self, conversation_id: int, typing: bool) -> None:
        await self.channel.send(ChatTyping(conversation_id=conversation_id, typing=typing))

    async def answer_offer(self, offer_id: int, accepted: bool) -> None:
        """The customer's answer to an agent's offer of an expert; the outcome comes back
        as a system message of the conversation."""
        if not await self.channel.send(OfferAnswer(offer_id=offer_id, accepted=accepted)):
            raise NotConnected()

    async def close_conversation(self, conversation_id: int) -> None:
        if not await self.channel.send(ChatClose(conversation_id=conversation_id)):
            raise NotConnected()

    async def download(self, conversation_id: int, attachment_id: int, timeout: float = 30):
        """The bytes of an attachment (e.g. a file the agent sent)."""
        key = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._requests[key] = future
        frame = AttachmentGet(
            request_id=key, conversation_id=conversation_id, attachment_id=attachment_id
        )
        try:
            if not await self.channel.send(frame):
                raise NotConnected()
            data = await asyncio.wait_for(future, timeout)
        finally:
            self._requests.pop(key, None)
        return b64decode(data.data_base64)

    async def refresh(self) -> None:
        """Asks for the conversations; missing messages are fetched as the answer comes."""
        await self.channel.send(ChatListRequest(request_id=uuid.uuid4().hex))

    def messages(self, conversation_id: int) -> list[MessageInfo]:
        """The messages shown so far: in order, without a gap (a later one waits until
        those before it have come)."""
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            return []
        return [conversation.messages[seq] for seq in range(1, conversation.delivered + 1)]

    def conversation(self, conversation_id: int) -> ConversationInfo | None:
        known = self.conversations.get(conversation_id)
        return known.info if known else None

    async def stop(self) -> None:
        if self._retry_task is not None:
            self._retry_task.cancel()

    # --- sending until acknowledged -------------------------------------------------

    async def _until_answered(self, key: str, frame, timeout: float | None):
        future = asyncio.get_running_loop().create_future()
        pending = _Pending(frame, future)
        self._pending[key] = pending
        self._ensure_retrying()
        await self._transmit(pending)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(key, None)

    async def _transmit(self, pending: _Pending) -> None:
        pending.sent_at = asyncio.get_running_loop().time()
        await self.channel.send(pending.frame)

    def _ensure_retrying(self) -> None:
        if self._retry_task is None or self._retry_task.done():
            self._retry_task = asyncio.create_task(self._retry_loop(), name="chat-retry")

    async def _retry_loop(self) -> None:
        while self._pending:
            await asyncio.sleep(min(1.0, self.retry_seconds))
            now = asyncio.get_running_loop().time()
            for pending in list(self._pending.values()):
                if self.channel.connected and now - pending.sent_at >= self.retry_seconds:
                    await self._transmit(pending)

    async def _resume(self) -> None:
        for pending in list(self._pending.values()):
            await self._transmit(pending)
        await self.refresh()

    # --- receiving -----------------------------------------------------------------

    async def _call(self, callback, *args) -> None:
        if callback is None:
            return
        outcome = callback(*args)
        if inspect.isawaitable(outcome):
            await outcome

    async def _remember(self, info: ConversationInfo) -> Conversation:
        known = self.conversations.get(info.id)
        if known is None:
            known = self.conversations[info.id] = Conversation(info)
        else:
            known.info = info
        return known

    async def _store(self, conversation_id: int, message: MessageInfo) -> None:
        """Keeps the message once; hands messages to on_message in order, each once."""
        known = self.conversations.get(conversation_id)
        if known is None or message.seq in known.messages:
            return
        known.messages[message.seq] = message
        while known.delivered + 1 in known.messages:
            known.delivered += 1
            await self._call(self.on_message, conversation_id, known.messages[known.delivered])

    async def _on_state(self, frame) -> None:
        known = await self._remember(frame.conversation)
        await self._call(self.on_state, frame.conversation)
        pending = self._pending.get(frame.request_id or "")
        if pending is not None and not pending.future.done():
            pending.future.set_result(frame.conversation)
        if frame.conversation.last_seq > known.last_seq:
            await self._fetch(frame.conversation.id, known.last_seq)

    async def _on_message(self, frame) -> None:
        known = self.conversations.get(frame.conversation_id)
        if known is None:
            await self.refresh()  # a conversation this client has not seen yet
            return
        await self._store(frame.conversation_id, frame.message)
        if frame.message.seq > known.last_seq:
            await self._fetch(frame.conversation_id, known.last_seq)  # a gap: fill it

    async def _on_history(self, frame) -> None:
        await self._remember(frame.conversation)
        for message in frame.messages:
            await self._store(frame.conversation.id, message)

    async def _on_list(self, frame) -> None:
        for info in frame.conversations:
            known = await self._remember(info)
            if info.last_seq > known.last_seq:
                await self._fetch(info.id, known.last_seq)

    async def _fetch(self, conversation_id: int, after_seq: int) -> None:
        await self.channel.send(ChatFetch(conversation_id=conversation_id, after_seq=after_seq))

    async def _on_ack(self, frame) -> None:
        pending = self._pending.get(frame.client_msg_id)
        if pending is not None and not pending.future.done():
            pending.future.set_result(frame)

    async def _on_typing(self, frame) -> None:
        await self._call(self.on_typing, frame.conversation_id, frame.typing)

    async def _on_attachment(self, frame) -> None:
        future = self._requests.get(frame.request_id)
        if future is not None and not future.done():
            future.set_result(frame)

    async def _on_error(self, frame) -> None:
        key = frame.client_msg_id or frame.request_id or ""
        waiting = self._pending.get(key) or self._requests.get(key)
        future = waiting.future if isinstance(waiting, _Pending) else waiting
        if future is not None and not future.done():
            future.set_exception(ServerRefused(frame.code, frame.message))
