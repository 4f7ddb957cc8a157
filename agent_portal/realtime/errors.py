"""What a channel handler raises to answer the sender with an error frame.

LiveError                 → {"type": "error", "code": ..., "message": ...} to the sender
├── AccessRefused         code forbidden: the message's rule does not let the sender
│                         send it (`realtime.dispatch`)
├── RelayRefused          code stream_not_open (or its own): a binary frame on a stream
│                         the server did not open for this socket, or a stream that
│                         cannot be opened (`realtime.relay`)
└── (domain errors subclass it, e.g. chat.errors.ChatError)
"""

from __future__ import annotations


class LiveError(Exception):
    code = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        request_id: str | None = None,
        client_msg_id: str | None = None,
        conversation_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.request_id = request_id
        self.client_msg_id = client_msg_id
        self.conversation_id = conversation_id


class AccessRefused(LiveError):
    code = "forbidden"


class RelayRefused(LiveError):
    code = "stream_not_open"
