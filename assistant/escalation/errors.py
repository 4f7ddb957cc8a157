"""What can go wrong in live help, as the UI sees it. Each error has a `code` (the
server's, where it came from there) and `text()`, the message for the customer in the
current language.

    LiveHelpError
    ├── NotConnected          no channel to the server right now (it reconnects by itself)
    ├── ChannelRefused        the server does not let this computer in (not linked, bad key)
    ├── AttachmentTooLarge    the file is over the server's limit; nothing was sent
    ├── MessageTooLong        the text is over the server's limit; nothing was sent
    ├── NotLinked             live help needs this computer linked to an account first
    ├── MessageRefused        checked here before sending: empty, or the chat is over
    └── ServerRefused         the server answered a request with an error (code, message)
"""

from __future__ import annotations

from assistant.escalation import texts


class LiveHelpError(Exception):
    code = "error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail

    def text(self) -> str:
        return texts.error_text(self.code)


class NotConnected(LiveHelpError):
    code = "not_connected"


class ChannelRefused(LiveHelpError):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(detail)
        self.code = code


class AttachmentTooLarge(LiveHelpError):
    code = "attachment_too_large"

    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        super().__init__(f"{size_bytes} bytes, at most {limit_bytes}")
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes

    def text(self) -> str:
        return texts.attachment_too_large(self.size_bytes, self.limit_bytes)


class MessageTooLong(LiveHelpError):
    code = "message_too_long"

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"{length} characters, at most {limit}")
        self.length = length
        self.limit = limit

    def text(self) -> str:
        return texts.message_too_long(self.length, self.limit)


class NotLinked(LiveHelpError):
    code = "not_linked"


class MessageRefused(LiveHelpError):
    """`code` says why: "empty_message", "closed" or "not_found" (the server's codes)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ServerRefused(LiveHelpError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
