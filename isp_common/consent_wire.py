"""Consent on the device channel, the same for every kind: a diagnostics report, a screen
view, remote control, a call. Both sides import these models; `live_wire` puts them in the
unions of the frames each side parses.

    server → {"type": "consent.request", "consent_id", "kind", "requester_name",
              "requester_role", "reason", "scope", "answer_by", "lasts_seconds",
              "parent_id"}
    device → {"type": "consent.answer", "consent_id", "granted", "choice", "reason"}
    device → {"type": "consent.revoke", "consent_id"}          the customer stops it
    server → {"type": "consent.closed", "consent_id", "kind", "status", "reason"}

No answer is a refusal, never a grant: a request nobody answers by `answer_by` is over
(`consent.closed` with status `timed_out`). A grant lasts until it is revoked, ended by
the asker, or `lasts_seconds` after the answer. A kind may require another consent to be
active (`parent_id`): control requires the screen view it belongs to, and ends with it.

A report is asked and answered with these frames like every other kind; what follows a
grant (the checks, the upload as `diagnostics.report`) is the report's own. An assistant
that cannot serve a kind (yet) does not ask its customer: it declines at once with the
reason `unsupported`, which the record keeps.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ConsentKind(StrEnum):
    report = "report"  # one diagnostics report, sent once
    screen_view = "screen_view"
    control = "control"  # remote control; requires an active screen view
    call = "call"


class ConsentStatus(StrEnum):
    pending = "pending"  # asked; the customer has not answered
    granted = "granted"
    refused = "refused"
    timed_out = "timed_out"  # no answer in time: a refusal
    revoked = "revoked"  # the customer stopped it
    ended = "ended"  # over for another reason (`EndReason`)


class EndReason(StrEnum):
    completed = "completed"  # what it was for is done (the report arrived, the call ended)
    expired = "expired"  # its time ran out (a report that never came)
    withdrawn = "withdrawn"  # the asker ended it
    parent_closed = "parent_closed"  # the consent it requires is over


class DeclineReason(StrEnum):
    """Why an assistant declined without asking its customer; a refusal from the
    customer's own dialog has none."""

    unsupported = "unsupported"  # this assistant cannot serve the kind


# The customer's choice within a grant, per kind; a kind not named here has none.
CHOICES: dict[str, tuple[str, ...]] = {ConsentKind.screen_view: ("screen", "window")}


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore")  # a newer peer may add fields


class ConsentRequestFrame(_Wire):
    type: Literal["consent.request"] = "consent.request"
    consent_id: str
    kind: ConsentKind
    requester_name: str
    requester_role: str = ""  # the asker's role at the provider: agent, expert, admin
    reason: str = ""
    scope: dict = {}
    answer_by: datetime
    lasts_seconds: int | None = None  # None: until revoked or ended
    parent_id: str | None = None


class ConsentAnswerFrame(_Wire):
    type: Literal["consent.answer"] = "consent.answer"
    consent_id: str = Field(min_length=1, max_length=32)
    granted: bool
    choice: str | None = Field(default=None, max_length=20)  # one of CHOICES[kind]
    reason: DeclineReason | None = None  # only with granted false


class ConsentRevokeFrame(_Wire):
    type: Literal["consent.revoke"] = "consent.revoke"
    consent_id: str = Field(min_length=1, max_length=32)


class ConsentClosedFrame(_Wire):
    """The consent is over for a reason other than the device's own answer or revocation."""

    type: Literal["consent.closed"] = "consent.closed"
    consent_id: str
    kind: ConsentKind
    status: ConsentStatus
    reason: EndReason | None = None


# --- the customer's record, for the assistant ---------------------------------------------

# `GET` by a linked device (signed like every device request): what its customer was asked,
# on any of their devices, what they allowed, refused or stopped, and with whom; newest first.
CONSENT_HISTORY_PATH = "/api/v1/consents"
CONSENT_HISTORY_MAX = 100


class ConsentStep(_Wire):
    """One step of a consent's record, with its time and who took it."""

    event: Literal["asked", "granted", "refused", "timed_out", "revoked", "ended"]
    at: datetime
    actor_kind: Literal["staff", "device", "system"]
    actor_name: str = ""  # the staff member's or the device's name; empty for the server
    detail: str | None = None  # the choice of a grant, the reason of an end or a decline


class ConsentHistoryEntry(_Wire):
    consent_id: str
    kind: ConsentKind
    device_id: str
    device_name: str
    requester_name: str
    requester_role: str = ""  # agent | expert | admin; empty when the account is gone
    reason: str = ""
    status: ConsentStatus
    end_reason: EndReason | None = None
    choice: str | None = None  # what the customer chose to share (screen, window)
    parent_id: str | None = None  # control: the screen view it belonged to
    asked_at: datetime
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    steps: list[ConsentStep] = []


class ConsentHistory(_Wire):
    consents: list[ConsentHistoryEntry]
