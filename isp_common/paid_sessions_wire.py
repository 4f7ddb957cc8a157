"""Paid sessions on the device channel: the frames between the server and the assistant.

A paid session is a metered (or fixed-price) stretch of an expert's help inside a
conversation the expert holds (a pre-chat or a hotline chat handed to them). Amounts are
integers in minor units of `currency`; times travel in UTC.

    server → session.proposal   terms, price, billing rule (and its sentence), who proposed
    device → session.propose    the customer asks for a session (per minute, fixed, appointment)
    device → session.confirm    the customer starts it with a maximum (the ledger holds it)
    device → session.decline    the customer turns a proposal down
    server → session.meter      the running state: billed seconds, amount, maximum, warning
    device → session.pause      the customer pauses (the expert may too, from the portal)
    device → session.resume     the customer resumes, or confirms the expert's request
    device → session.raise      the customer raises the maximum (a second hold)
    device → session.end        the customer ends it
    server → session.summary    minutes, amount, waiver, tip, where the money goes
    device → session.tip        the customer's tip after the end, on a hold of its own
    server → session.ack        a command was done: its `command_id` and the meter

Every command carries a `command_id` the assistant chooses (1 to 64 characters) and
repeats until it sees `session.ack` with it. A repeat answers the first result and changes
nothing; the same `command_id` with other content is refused (`error`, code
`command_id_reused`). A refused command is answered with the channel's `error` frame whose
`request_id` is the `command_id`; it stores nothing, so the id stays free.

The meter bills only while the session runs and both sides are connected; a side that is
gone longer than the grace period pauses it, and the seconds since the drop are not billed.
At `WARNING_PERCENT` of the maximum both sides are warned (`warning` on the meter); at the
maximum the session pauses by itself (`paused_reason` `maximum`): the customer may raise
the maximum and resume, or end. Nothing is ever charged above the sum of the holds.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WARNING_PERCENT = 80
COMMAND_ID_MAX = 64

# Frame types.
PROPOSAL = "session.proposal"
METER = "session.meter"
SUMMARY = "session.summary"
ACK = "session.ack"
PROPOSE = "session.propose"
CONFIRM = "session.confirm"
DECLINE = "session.decline"
PAUSE = "session.pause"
RESUME = "session.resume"
RAISE = "session.raise"
END = "session.end"
TIP = "session.tip"

# Error codes of refused commands (the `error` frame's `code`).
COMMAND_ID_REUSED = "command_id_reused"


class SessionTerms(StrEnum):
    per_minute = "per_minute"  # the expert's price per minute, metered
    fixed = "fixed"  # a fixed price: the hold is the price, charged at the end


class BillingRule(StrEnum):
    """How a per-minute session's time becomes money (the server's setting)."""

    second = "second"  # price × seconds / 60, rounded down to the cent
    started_minute = "started_minute"  # each started minute in full


class SessionStatus(StrEnum):
    proposed = "proposed"  # awaiting the customer's confirmation with a maximum
    running = "running"
    paused = "paused"
    ended = "ended"
    cancelled = "cancelled"  # declined or withdrawn before it started


class Party(StrEnum):
    expert = "expert"
    customer = "customer"


class PauseReason(StrEnum):
    expert = "expert"  # the expert paused it
    customer = "customer"  # the customer paused it
    disconnected = "disconnected"  # a side was gone longer than the grace period
    maximum = "maximum"  # the maximum is reached


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class _Command(_Wire):
    command_id: str = Field(min_length=1, max_length=COMMAND_ID_MAX)


# --- server → device -----------------------------------------------------------------


class SessionProposal(_Wire):
    """A proposed session, for the customer to confirm with a maximum or decline."""

    type: Literal["session.proposal"] = "session.proposal"
    session_id: int
    conversation_id: int
    expert_name: str
    proposed_by: Party
    terms: SessionTerms
    price: int
    """Per minute, or the fixed price; minor units of `currency`."""
    currency: str
    billing_rule: BillingRule
    billing_text: str
    """The billing rule as a sentence in the device's language, to show before confirming."""
    appointment_id: int | None = None
    minimum_maximum: int
    """The smallest maximum the server accepts: one minute (per minute) or the price."""
    spending_left: int | None = None
    """What is left of the customer's monthly spending limit; None: no limit."""
    proposed_at: datetime


class SessionMeter(_Wire):
    """The session's state, sent on every change and every tick while it runs."""

    type: Literal["session.meter"] = "session.meter"
    session_id: int
    conversation_id: int
    status: SessionStatus
    terms: SessionTerms
    price: int
    currency: str
    billing_rule: BillingRule
    billed_seconds: int = 0
    amount: int = 0
    """What the meter shows now (per minute) or the fixed price once started."""
    maximum: int = 0
    """The sum of the customer's holds for the session."""
    remaining: int = 0
    """`maximum - amount`."""
    warning: bool = False
    """True from `WARNING_PERCENT` of the maximum on."""
    paused_reason: PauseReason | None = None
    resume_requested: bool = False
    """The expert asks to resume; the customer's `session.resume` confirms it."""
    started_at: datetime | None = None
    as_of: datetime


class FeeSplit(_Wire):
    """Where the customer's charge goes, as the customer sees it."""

    expert: int
    platform_fee: int
    tax: int = 0
    fee_percent: str
    """The platform's fee in percent as a decimal string, e.g. "20"."""


class SessionSummary(_Wire):
    """Sent when the session ends, and again when a tip is added."""

    type: Literal["session.summary"] = "session.summary"
    session_id: int
    conversation_id: int
    expert_name: str
    terms: SessionTerms
    currency: str
    billed_seconds: int
    minutes: int
    """Billed time in minutes, rounded up (what an invoice line shows)."""
    amount: int
    waived: int
    charged: int
    """`amount - waived`: what the customer pays for the session."""
    tip: int = 0
    total: int
    """`charged + tip`."""
    split: FeeSplit
    """The split of `charged` (the tip goes to the expert whole)."""
    ended_by: Party | None = None
    started_at: datetime | None = None
    ended_at: datetime


class SessionAck(_Wire):
    """The answer to a command (again, for a repeat): the session as it is after it."""

    type: Literal["session.ack"] = "session.ack"
    command_id: str
    session_id: int
    meter: SessionMeter


# --- device → server -----------------------------------------------------------------


class SessionPropose(_Command):
    """The customer asks the expert of `conversation_id` for a session: per minute at the
    profile's price, the profile's fixed price, or an accepted appointment's terms (then
    `terms` is ignored). Answered with `session.ack`; the proposal comes as
    `session.proposal` to the customer's devices and the expert's tabs."""

    type: Literal["session.propose"] = "session.propose"
    conversation_id: int = Field(ge=1)
    terms: SessionTerms = SessionTerms.per_minute
    appointment_id: int | None = Field(default=None, ge=1)


class SessionConfirm(_Command):
    """Starts a proposed session with a maximum the ledger holds (fixed price: the
    maximum is the price; a larger one is held only up to the price)."""

    type: Literal["session.confirm"] = "session.confirm"
    session_id: int = Field(ge=1)
    maximum: int = Field(ge=1)


class SessionDecline(_Command):
    type: Literal["session.decline"] = "session.decline"
    session_id: int = Field(ge=1)


class SessionPause(_Command):
    type: Literal["session.pause"] = "session.pause"
    session_id: int = Field(ge=1)


class SessionResume(_Command):
    """Resumes a paused session; the customer's confirmation of the expert's request."""

    type: Literal["session.resume"] = "session.resume"
    session_id: int = Field(ge=1)


class SessionRaise(_Command):
    """Raises the maximum by `amount` (a further hold)."""

    type: Literal["session.raise"] = "session.raise"
    session_id: int = Field(ge=1)
    amount: int = Field(ge=1)


class SessionEnd(_Command):
    type: Literal["session.end"] = "session.end"
    session_id: int = Field(ge=1)


class SessionTip(_Command):
    """A tip or success fee after the end; held and posted to the expert whole."""

    type: Literal["session.tip"] = "session.tip"
    session_id: int = Field(ge=1)
    amount: int = Field(ge=1)


SERVER_FRAMES = (SessionProposal, SessionMeter, SessionSummary, SessionAck)
DEVICE_FRAMES = (
    SessionPropose,
    SessionConfirm,
    SessionDecline,
    SessionPause,
    SessionResume,
    SessionRaise,
    SessionEnd,
    SessionTip,
)
