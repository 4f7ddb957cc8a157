"""The live channel between a linked assistant and the server: one WebSocket at `/ws/device`,
JSON text frames, each an object with a `type`. Both sides import these models. Binary
frames (screen pictures) travel on relay streams (`relay.opened`, `relay.closed`), with the
header of `isp_common.binary_frames`.

Opening (the device proves it holds the key the server bound to it at link time)::

    server → {"type": "challenge", "nonce": "<base64, 32 bytes>", "protocol": 1}
    device → {"type": "hello", "device_id": "...", "public_key": "<base64 raw Ed25519>",
              "signature": "<base64 signature of challenge_payload(nonce)>"}
    server → {"type": "welcome", ...}   or   {"type": "refused", ...} and close 4401

Then either side sends at any time. Chat messages carry a `client_msg_id` chosen by the
sender; the server stores each once, gives it the conversation's next `seq` and answers
`chat.ack` (again, for a repeat). The sender repeats until acknowledged; the receiver
shows each `seq` once and, after a reconnect, asks `chat.fetch` for what came after the
last `seq` it has. Requests that expect an answer carry a `request_id` the answer echoes.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from isp_common.appointments_wire import AppointmentNotice
from isp_common.consent_wire import (
    ConsentAnswerFrame,
    ConsentClosedFrame,
    ConsentRequestFrame,
    ConsentRevokeFrame,
)
from isp_common.diagnostics.report import DiagnosticsReport
from isp_common.file_names import safe_file_name
from isp_common.paid_sessions_wire import (
    SessionAck,
    SessionConfirm,
    SessionDecline,
    SessionEnd,
    SessionMeter,
    SessionPause,
    SessionProposal,
    SessionPropose,
    SessionRaise,
    SessionResume,
    SessionSummary,
    SessionTip,
)
from isp_common.screen_wire import ScreenInput, ScreenPull, ScreenStatus

PROTOCOL_VERSION = 1
DEVICE_CHANNEL_PATH = "/ws/device"
# Signed together with the nonce, so a signature made for this channel is good for
# nothing else the device key signs.
CHALLENGE_CONTEXT = b"isp-assistant live channel v1\n"
NONCE_BYTES = 32
# The server's default; its own limit comes in `welcome` (`Limits.message_max_chars`). The
# frames below carry a text of any length (the frame's size bounds it), so that the server
# refuses a longer one in words, naming the message (`message_too_long`), never cutting it.
MESSAGE_MAX_CHARS = 4000
TOPIC_NAMES_MAX = 20

# WebSocket close codes (4000-4999 are the application's own).
CLOSE_PROTOCOL_ERROR = 4400
CLOSE_AUTH_FAILED = 4401
CLOSE_AUTH_TIMEOUT = 4408
CLOSE_REPLACED = 4409  # the same device opened a newer channel


def challenge_payload(nonce: bytes) -> bytes:
    """What the device signs for a challenge `nonce`."""
    return CHALLENGE_CONTEXT + nonce


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Standard base64; ValueError naming the problem for anything else."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError("not valid base64") from error


class Topic(StrEnum):
    """What a chat is about; agents have skills per topic."""

    internet = "internet"
    wifi = "wifi"
    email = "email"
    computer = "computer"
    security = "security"
    contract = "contract"


class ConversationKind(StrEnum):
    """What a conversation is for."""

    hotline = "hotline"  # live help: routed by topic to the hotline's agents
    expert_prechat = "expert_prechat"  # a free first chat with one expert, never routed


class ConversationStatus(StrEnum):
    queued = "queued"  # waiting for an agent
    active = "active"  # an agent has it
    ticket = "ticket"  # nobody was there: waits for an answer, which also goes by e-mail
    answered = "answered"  # a ticket an agent answered; the customer may write again
    closed = "closed"


class SenderKind(StrEnum):
    customer = "customer"
    agent = "agent"
    system = "system"  # e.g. "handed over to Anna"; `event` and `params` say what happened


class SystemEvent(StrEnum):
    assigned = "assigned"  # params: agent
    queued = "queued"  # params: topic
    transferred = "transferred"  # params: agent or topic
    ticket = "ticket"
    closed = "closed"  # params: by ("customer" | "agent")
    # A pre-chat's first message reached an expert who is not online (offline, away or
    # busy): the expert answers later. params: expert
    expert_offline = "expert_offline"
    # The expert did not answer the pre-chat in time and is away now. params: expert
    expert_away = "expert_away"
    # A hotline agent offers the customer an expert (`escalation`); the customer answers
    # with `offer.answer`. params: offer_id, expert_id (the public profile), expert, and
    # expires_at (ISO 8601) for `expert_offered`
    expert_offered = "expert_offered"
    # The customer accepted: the conversation is the expert's pre-chat from here on, with
    # its history. params: offer_id, expert_id, expert
    expert_accepted = "expert_accepted"
    expert_declined = "expert_declined"  # params: offer_id, expert_id, expert
    offer_withdrawn = "offer_withdrawn"  # the agent took it back. params: as above
    offer_expired = "offer_expired"  # no answer in time. params: as above


# The events that end an offer: after one of them, `offer.answer` is refused.
OFFER_ENDED = (
    SystemEvent.expert_accepted,
    SystemEvent.expert_declined,
    SystemEvent.offer_withdrawn,
    SystemEvent.offer_expired,
)


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class Limits(_Wire):
    attachment_max_bytes: int
    message_max_chars: int = MESSAGE_MAX_CHARS


class AttachmentInfo(_Wire):
    id: int
    filename: str
    content_type: str
    size_bytes: int


class AttachmentUpload(_Wire):
    filename: str = Field(min_length=1, max_length=200)
    content_type: str = Field(min_length=3, max_length=100)
    data_base64: str

    @field_validator("filename", mode="before")
    @classmethod
    def _safe_name(cls, name: object) -> object:
        # Before the length check: a long name is shortened, not refused.
        return safe_file_name(name, "attachment") if isinstance(name, str) and name else name

    def data(self) -> bytes:
        return b64decode(self.data_base64)


class MessageInfo(_Wire):
    seq: int
    sender: SenderKind
    sender_name: str = ""
    text: str = ""
    attachment: AttachmentInfo | None = None
    sent_at: datetime
    client_msg_id: str | None = None
    event: SystemEvent | None = None
    params: dict[str, str] = {}


class ConversationInfo(_Wire):
    id: int
    topic: Topic
    status: ConversationStatus
    queue_position: int | None = None  # 1 = next; only while queued
    agent_name: str | None = None
    last_seq: int = 0
    created_at: datetime
    kind: ConversationKind = ConversationKind.hotline  # a pre-chat's agent is its expert


# --- server → device -----------------------------------------------------------------


class Challenge(_Wire):
    type: Literal["challenge"] = "challenge"
    nonce: str
    protocol: int = PROTOCOL_VERSION


class Welcome(_Wire):
    type: Literal["welcome"] = "welcome"
    device_id: str
    connection_id: str
    limits: Limits


class Refused(_Wire):
    type: Literal["refused"] = "refused"
    code: str
    message: str


class Pong(_Wire):
    type: Literal["pong"] = "pong"


class ErrorMessage(_Wire):
    type: Literal["error"] = "error"
    code: str
    message: str
    request_id: str | None = None
    client_msg_id: str | None = None
    conversation_id: int | None = None
    # A refused binary frame (`isp_common.binary_frames`): its stream and sequence number.
    stream_id: int | None = None
    seq: int | None = None


class ChatState(_Wire):
    type: Literal["chat.state"] = "chat.state"
    conversation: ConversationInfo
    request_id: str | None = None


class ChatList(_Wire):
    type: Literal["chat.list"] = "chat.list"
    conversations: list[ConversationInfo]
    request_id: str | None = None


class ChatAck(_Wire):
    type: Literal["chat.ack"] = "chat.ack"
    conversation_id: int
    client_msg_id: str
    seq: int
    sent_at: datetime
    message: MessageInfo | None = None  # as stored (with its attachment's id)


class ChatMessage(_Wire):
    type: Literal["chat.message"] = "chat.message"
    conversation_id: int
    message: MessageInfo


class ChatHistory(_Wire):
    type: Literal["chat.history"] = "chat.history"
    conversation: ConversationInfo
    messages: list[MessageInfo]
    request_id: str | None = None


class ChatTyping(_Wire):
    """Both directions: from a device `sender` is ignored (it is the customer)."""

    type: Literal["chat.typing"] = "chat.typing"
    conversation_id: int
    typing: bool
    sender: SenderKind = SenderKind.customer


class AttachmentData(_Wire):
    type: Literal["chat.attachment"] = "chat.attachment"
    request_id: str
    attachment: AttachmentInfo
    data_base64: str


class DiagnosticsReceived(_Wire):
    type: Literal["diagnostics.received"] = "diagnostics.received"
    request_id: str


class RelayOpened(_Wire):
    """A relay stream is open (on either socket). `role` send: this socket's binary frames
    with this `stream_id`, of these `kinds`, go to the stream's receivers, unread; receive:
    such frames come to this socket. `purpose` is the opener's word for what it is."""

    type: Literal["relay.opened"] = "relay.opened"
    stream_id: int
    role: Literal["send", "receive"]
    kinds: list[int]
    purpose: str = ""


class RelayClosed(_Wire):
    """The stream is closed: nothing more goes out on it, nothing more comes."""

    type: Literal["relay.closed"] = "relay.closed"
    stream_id: int


class RelayDropped(_Wire):
    """A frame of the stream was not sent to this socket: it was too far behind."""

    type: Literal["relay.dropped"] = "relay.dropped"
    stream_id: int
    seq: int


class ChannelReplaced(_Wire):
    """Internal: the device opened a newer channel, the older one closes."""

    type: Literal["channel.replaced"] = "channel.replaced"
    connection_id: str


ServerMessage = Annotated[
    Challenge
    | Welcome
    | Refused
    | Pong
    | ErrorMessage
    | ChatState
    | ChatList
    | ChatAck
    | ChatMessage
    | ChatHistory
    | ChatTyping
    | AttachmentData
    | DiagnosticsReceived
    | ConsentRequestFrame
    | ConsentClosedFrame
    | RelayOpened
    | RelayClosed
    | RelayDropped
    | ScreenPull
    | ScreenInput
    | ChannelReplaced
    | SessionProposal
    | SessionMeter
    | SessionSummary
    | SessionAck
    | AppointmentNotice,
    Field(discriminator="type"),
]


# --- device → server -----------------------------------------------------------------


class Hello(_Wire):
    type: Literal["hello"] = "hello"
    device_id: str = Field(max_length=64)
    public_key: str = Field(max_length=100)
    signature: str = Field(max_length=200)
    protocol: int = PROTOCOL_VERSION
    language: str | None = None


class Ping(_Wire):
    type: Literal["ping"] = "ping"


class ChatStart(_Wire):
    """Starts a conversation with its first message. Sent again after a lost answer, the
    same `client_msg_id` finds the conversation already started."""

    type: Literal["chat.start"] = "chat.start"
    request_id: str = Field(min_length=1, max_length=64)
    topic: Topic
    client_msg_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1)


class PrechatStart(_Wire):
    """Starts a free pre-chat with one expert with its first message. `expert_id` is the
    id of their public profile (`/api/v1/experts/{expert_id}`). Answered like
    `chat.start` (`chat.state`, `chat.ack`); the conversation's `kind` is
    `expert_prechat`, its agent the expert. When the expert is not online the message
    waits for them (a system message `expert_offline` says so). The same `client_msg_id`
    again finds the pre-chat already started."""

    type: Literal["prechat.start"] = "prechat.start"
    request_id: str = Field(min_length=1, max_length=64)
    expert_id: int = Field(ge=1)
    client_msg_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1)


class ChatSend(_Wire):
    type: Literal["chat.send"] = "chat.send"
    conversation_id: int
    client_msg_id: str = Field(min_length=1, max_length=64)
    text: str = ""
    attachment: AttachmentUpload | None = None


class ChatFetch(_Wire):
    type: Literal["chat.fetch"] = "chat.fetch"
    conversation_id: int
    after_seq: int = Field(default=0, ge=0)
    request_id: str | None = None


class ChatListRequest(_Wire):
    type: Literal["chat.list"] = "chat.list"
    request_id: str | None = None


class ChatClose(_Wire):
    type: Literal["chat.close"] = "chat.close"
    conversation_id: int


class AttachmentGet(_Wire):
    type: Literal["chat.attachment.get"] = "chat.attachment.get"
    request_id: str
    conversation_id: int
    attachment_id: int


class OfferAnswer(_Wire):
    """The customer's answer to an agent's offer of an expert (the system message
    `expert_offered` of their conversation): `accepted` hands the conversation with its
    history to the expert as a free pre-chat. Answered with `chat.message` of the outcome
    (`expert_accepted` or `expert_declined`); a closed offer is refused with the error
    `offer_closed`."""

    type: Literal["offer.answer"] = "offer.answer"
    offer_id: int = Field(ge=1)
    accepted: bool


class DiagnosticsReportUpload(_Wire):
    """A report the customer allowed to send: `report` is a `DiagnosticsReport`
    (`isp_common.diagnostics.report`) as JSON, made with `of`. It travels as that JSON
    object: the server reads it with the same model only once it knows the request was
    allowed (a report it cannot read is refused as `report_invalid`), and stores it exactly
    as sent."""

    type: Literal["diagnostics.report"] = "diagnostics.report"
    request_id: str
    report: dict[str, Any]

    @classmethod
    def of(cls, request_id: str, report: DiagnosticsReport) -> DiagnosticsReportUpload:
        return cls(request_id=request_id, report=report.model_dump(mode="json"))


DeviceMessage = Annotated[
    Ping
    | ChatStart
    | PrechatStart
    | ChatSend
    | ChatFetch
    | ChatListRequest
    | ChatTyping
    | ChatClose
    | AttachmentGet
    | OfferAnswer
    | DiagnosticsReportUpload
    | ConsentAnswerFrame
    | ConsentRevokeFrame
    | SessionPropose
    | SessionConfirm
    | SessionDecline
    | SessionPause
    | SessionResume
    | SessionRaise
    | SessionEnd
    | SessionTip
    | ScreenStatus,
    Field(discriminator="type"),
]

server_message = TypeAdapter(ServerMessage)
device_message = TypeAdapter(DeviceMessage)
hello_message = TypeAdapter(Hello)
