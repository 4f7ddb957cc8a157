"""What can go wrong in the chat domain. Each error has a stable `code` (the assistant
words it in its own language by the code) and an English text with its values apart
(`agent_portal.errors.PortalError`), so a portal page shows it translated:
`error.translated(_)`, and an error frame in the socket's language.

ChatError (a LiveError: on a channel it becomes an error frame)
├── ConversationNotFound    code not_found
├── ConversationForbidden   code forbidden (no relation to it, see `chat.access`)
├── ConversationClosed      code closed
├── EmptyMessage            code empty_message
├── MessageTooLong          code message_too_long
├── AttachmentTooLarge      code attachment_too_large
├── AttachmentInvalid       code attachment_invalid
├── TransferRefused         code transfer_refused
├── IllegalTransition       code illegal_transition (the status does not allow it, `states`)
└── NothingToDraft          code nothing_to_draft
"""

from __future__ import annotations

from agent_portal.realtime.errors import LiveError
from isp_common import formatting

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


class ChatError(LiveError):
    code = "chat_error"


class ConversationNotFound(ChatError):
    status_code = 404
    code = "not_found"
    template = N_("There is no such conversation.")


class ConversationForbidden(ChatError):
    status_code = 403
    code = "forbidden"


class ConversationClosed(ChatError):
    status_code = 409
    code = "closed"
    template = N_("This conversation has been closed.")


class EmptyMessage(ChatError):
    code = "empty_message"
    template = N_("The message is empty: write some text or attach a file.")


class MessageTooLong(ChatError):
    """Refused whole: a message is never cut to fit."""

    status_code = 422
    code = "message_too_long"
    template = N_("The message is too long: %(length)s characters, at most %(limit)s are allowed.")

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(length=length, limit=limit)

    def words(self, gettext, language: str) -> dict[str, str]:
        return {
            "length": formatting.number(self.length, locale=language),
            "limit": formatting.number(self.limit, locale=language),
        }


class AttachmentTooLarge(ChatError):
    status_code = 413
    code = "attachment_too_large"
    template = N_("The attachment is too large (%(size)s); at most %(limit)s are allowed.")

    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes
        super().__init__(size=size_bytes, limit=limit_bytes)

    def words(self, gettext, language: str) -> dict[str, str]:
        # The sizes too are written the reader's way: "1,5 MB" in German.
        return {
            "size": formatting.file_size(self.size_bytes, locale=language),
            "limit": formatting.file_size(self.limit_bytes, locale=language),
        }


class AttachmentInvalid(ChatError):
    code = "attachment_invalid"


class TransferRefused(ChatError):
    code = "transfer_refused"


# How the refusal of a status change names the status the conversation is in.
STATUS_WORDS = {
    "queued": N_("waiting in the queue"),
    "active": N_("a live chat with an agent"),
    "ticket": N_("a ticket waiting for an answer"),
    "answered": N_("an answered ticket"),
    "closed": N_("closed"),
}


class IllegalTransition(ChatError):
    """A status change the conversation's status does not allow (see `chat.states`)."""

    status_code = 409
    code = "illegal_transition"
    template = N_("This is not possible now: the conversation is %(status)s.")

    def __init__(self, event: str, status: str) -> None:
        self.event = event
        self.status = status
        super().__init__(status=status)

    def words(self, gettext, language: str) -> dict[str, str]:
        word = STATUS_WORDS.get(self.status)
        return {"status": gettext(word) if word else self.status}


class NothingToDraft(ChatError):
    """No agent has answered: a knowledge article would have no solution."""

    status_code = 409
    code = "nothing_to_draft"
    template = N_(
        "There is nothing to draft an article from yet: no agent has answered in "
        "this conversation, so there is no solution to write down."
    )
