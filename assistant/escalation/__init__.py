"""Live help from a person: chat, paid sessions, consent, screen sharing and remote control.

The public API of live help (chat, remote diagnostics, paid sessions, screen sharing and
remote control over the device channel; `LiveHelp.sessions` is the `SessionClient`, the
customer's side of sharing is `screen_share`)::

    from assistant.escalation import LiveHelp, Attachment, LiveHelpError

See `assistant.escalation.live_help` for how the desktop UI uses it.
"""

from assistant.escalation.channel import Backoff, DeviceChannel
from assistant.escalation.chat import Attachment, ChatClient
from assistant.escalation.consent import ConsentResponder
from assistant.escalation.errors import (
    AttachmentTooLarge,
    ChannelRefused,
    LiveHelpError,
    MessageTooLong,
    NotConnected,
    ServerRefused,
)
from assistant.escalation.live_help import LiveHelp
from assistant.escalation.paid_sessions import PaidSession, SessionClient
from assistant.escalation.remote_diagnostics import ReportKind
from assistant.escalation.screen_share import ScreenShare

__all__ = [
    "Attachment",
    "AttachmentTooLarge",
    "Backoff",
    "ChannelRefused",
    "ChatClient",
    "ConsentResponder",
    "DeviceChannel",
    "LiveHelp",
    "LiveHelpError",
    "MessageTooLong",
    "NotConnected",
    "PaidSession",
    "ReportKind",
    "ScreenShare",
    "ServerRefused",
    "SessionClient",
]
