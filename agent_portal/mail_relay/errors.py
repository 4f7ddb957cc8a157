"""What the mail relay's receiver refuses, each with the SMTP answer the sending server
gets (RFC 5321: 550 for a mailbox that refuses, 552 for too much, 452 for too many
recipients now). The sender's mail program turns the answer into a bounce its user reads.

RelayRefusal
├── UnknownReplyAddress   550 5.1.1: no such reply address (or not the relay's domain)
├── SenderNotParticipant  550 5.7.1: the reply address takes mail from its participant only
├── ConversationEnded     550 5.7.1: the conversation is closed
├── NothingNew            550 5.6.0: the mail has no text of its own and no attachment
└── ReplyTooLarge         552 5.3.4: longer than a chat message may be, or an attachment
                                     larger than the chat takes
"""

from __future__ import annotations


class RelayRefusal(Exception):
    answer = "550 5.7.1 Refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.answer)
        self.detail = detail

    @property
    def smtp_answer(self) -> str:
        return f"{self.answer}: {self.detail}" if self.detail else self.answer


class UnknownReplyAddress(RelayRefusal):
    answer = "550 5.1.1 No such reply address"


class SenderNotParticipant(RelayRefusal):
    answer = "550 5.7.1 This reply address accepts mail only from its own participant"


class ConversationEnded(RelayRefusal):
    answer = "550 5.7.1 This conversation is closed"


class NothingNew(RelayRefusal):
    answer = "550 5.6.0 The mail has no text of its own"


class ReplyTooLarge(RelayRefusal):
    answer = "552 5.3.4 Too large for the conversation"
