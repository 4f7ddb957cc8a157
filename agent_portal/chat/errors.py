"""What can go wrong in the chat domain. Each error has a stable `code` (the assistant
words it in its own language by the code) and an English text with its values apart, so
a portal page shows it translated: `error.translated(_)`.

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

from agent_portal.i18n import translator
from agent_portal.realtime.errors import LiveError
from isp_common import formatting
from isp_common.i18n import N_


class ChatError(LiveError):
    code = "chat_error"

    def __init__(self, template: str, **values) -> None:
        self.template = template
        self.values = values
        super().__init__(template % values if values else template)

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % self.values if self.values else text


class ConversationNotFound(ChatError):
    code = "not_found"

    def __init__(self) -> None:
        super().__init__(N_("There is no such conversation."))


class ConversationForbidden(ChatError):
    code = "forbidden"


class ConversationClosed(ChatError):
    code = "closed"

    def __init__(self) -> None:
        super().__init__(N_("This conversation has been closed."))


class EmptyMessage(ChatError):
    code = "empty_message"

    def __init__(self) -> None:
        super().__init__(N_("The message is empty: write some text or attach a file."))


class MessageTooLong(ChatError):
    """Refused whole: a message is never cut to fit."""

    code = "message_too_long"

    def __init__(self, length: int, limit: int) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            N_("The message is too long: %(length)s characters, at most %(limit)s are allowed."),
            **self._counts("en"),
        )

    def _counts(self, locale: str) -> dict[str, str]:
        return {
            "length": formatting.number(self.length, locale=locale),
            "limit": formatting.number(self.limit, locale=locale),
        }

    def translated(self, gettext) -> str:
        return gettext(self.template) % self._counts(translator.language.get())


class AttachmentTooLarge(ChatError):
    code = "attachment_too_large"

    def __init__(self, size_bytes: int, limit_bytes: int) -> None:
        self.size_bytes = size_bytes
        self.limit_bytes = limit_bytes
        super().__init__(
            N_("The attachment is too large (%(size)s); at most %(limit)s are allowed."),
            **self._sizes("en"),
        )

    def _sizes(self, locale: str) -> dict[str, str]:
        return {
            "size": formatting.file_size(self.size_bytes, locale=locale),
            "limit": formatting.file_size(self.limit_bytes, locale=locale),
        }

    def translated(self, gettext) -> str:
        # The sizes too are written the page's way: "1,5 MB" in German.
        return gettext(self.template) % self._sizes(translator.language.get())


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

    code = "illegal_transition"

    def __init__(self, event: str, status: str) -> None:
        self.event = event
        self.status = status
        super().__init__(
            N_("This is not possible now: the conversation is %(status)s."),
            status=STATUS_WORDS.get(status, status),
        )

    def translated(self, gettext) -> str:
        return gettext(self.template) % {"status": gettext(STATUS_WORDS.get(self.status, ""))}


class NothingToDraft(ChatError):
    """No agent has answered: a knowledge article would have no solution."""

    code = "nothing_to_draft"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "There is nothing to draft an article from yet: no agent has answered in "
                "this conversation, so there is no solution to write down."
            )
        )
