"""What a channel handler raises to answer the sender with an error frame: a
`agent_portal.errors.PortalError`, which `realtime.dispatch` words in the socket's language.
A LiveError also names what it answers (`request_id`, `client_msg_id`, `conversation_id`).

LiveError                 → {"type": "error", "code": ..., "message": ...} to the sender
├── AccessRefused         code forbidden: the message's rule does not let the sender
│                         send it (`realtime.dispatch`)
├── RelayRefused          code stream_not_open (or its own): a binary frame on a stream
│                         the server did not open for this socket, or a stream that
│                         cannot be opened (`realtime.relay`)
├── HandlerFailed         code server_error: the handler failed unexpectedly (logged with
│                         its traceback); the sender may send the same message again
└── (domain errors subclass it, e.g. chat.errors.ChatError)
"""

from __future__ import annotations

# Importers take N_ from here, beside their texts.
from agent_portal.errors import N_ as N_
from agent_portal.errors import PortalError


class LiveError(PortalError):
    code = "error"

    def __init__(
        self,
        template: str | None = None,
        /,
        *,
        code: str | None = None,
        request_id: str | None = None,
        client_msg_id: str | None = None,
        conversation_id: int | None = None,
        **values,
    ) -> None:
        self.request_id = request_id
        self.client_msg_id = client_msg_id
        self.conversation_id = conversation_id
        super().__init__(template, code=code, **values)


class AccessRefused(LiveError):
    status_code = 403
    code = "forbidden"
    template = N_("You may not send this message.")


class RelayRefused(LiveError):
    status_code = 409
    code = "stream_not_open"
    template = N_("This stream is not open.")


class HandlerFailed(LiveError):
    status_code = 500
    code = "server_error"
    template = N_("The server could not handle this message; please try again.")
