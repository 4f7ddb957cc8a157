"""Live help from a person: chat, paid sessions, consent, screen sharing and remote control.

The public API of live help (chat and remote diagnostics over the device channel)::

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
from assistant.escalation.remote_diagnostics import ReportKind

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
    "ReportKind",
    "ServerRefused",
]
