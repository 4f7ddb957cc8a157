"""Consent on the customer's side, one flow for every kind (a report, a screen view,
remote control, a call).

    consent = ConsentResponder(channel, ask=ask_customer, on_done=show_outcome)
    consent.serve("report", ReportKind(...))     # what the assistant can do, per kind
    await consent.revoke(consent_id)             # the customer stops a grant
    consent.grants()                             # what is shared now, and with whom

A `consent.request` of a kind this assistant serves becomes a `Question` for the
customer: `ask(question)` (plain or async) shows the one dialog for every kind and returns
True (allow), False (decline), None (no answer) or an `Answer` (allow with the
customer's choice, e.g. a screen view's "screen" or "window" and which window); it is
cancelled when the server ends the request first (no answer in time), and the dialog
should then close. The answer goes back as `consent.answer`, with the choice; a grant is
handed to the kind's `serve(question)`, which does the work (the report: run the checks,
send the report) and returns how it went. While it runs the grant is listed in
`grants()`, and the customer may stop it (`consent.revoke`):
the work is cancelled and nothing more is sent.

A kind the assistant cannot serve (yet) is never shown: a dialog for something the
assistant cannot do would ask the customer a question whose yes means nothing. It is
declined at once with the reason `unsupported`, which the server records, and logged.
The same happens when a kind the assistant serves cannot be served right now: its
`unavailable(frame)` (optional) names why (a screen view on a Wayland desktop, control
without the screen view it belongs to); the customer hears why through `on_done`
(outcome "unavailable:<why>") instead of a question whose yes could do nothing.

`on_done(question, outcome)` says how each request ended: "declined", "unanswered",
"expired", "failed", "revoked", or what the kind's `serve` returned (the report: "sent").
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from assistant.escalation.channel import DeviceChannel
from isp_common.consent_wire import (
    ConsentAnswerFrame,
    ConsentRequestFrame,
    ConsentRevokeFrame,
    DeclineReason,
)

log = logging.getLogger(__name__)

LOCAL_GRACE_SECONDS = 5
# How a request the server closed ended, in the words of `on_done`.
CLOSED_OUTCOMES = {"timed_out": "expired", "revoked": "revoked", "refused": "declined"}


@dataclass
class Question:
    """A request as the customer's dialog shows it: what will be shared (`items`, in the
    UI's language), with whom, why and until when."""

    consent_id: str
    kind: str
    requester_name: str
    requester_role: str
    reason: str
    items: list[str]
    answer_by: datetime
    lasts_seconds: int | None
    scope: dict = field(default_factory=dict)

    parent_id: str | None = None
    # The customer's choice with the grant (`Answer.choice`, `Answer.detail`).
    choice: str | None = None
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """The customer's answer with a choice: what to share (a screen view: "screen" or
    "window", with `detail` {"window_id": ...})."""

    granted: bool
    choice: str | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class Grant:
    """A consent the customer gave that is still in use."""

    question: Question
    granted_at: datetime

    @property
    def until(self) -> datetime | None:
        seconds = self.question.lasts_seconds
        return None if seconds is None else self.granted_at + timedelta(seconds=seconds)


class ConsentKind(Protocol):
    """What the assistant does for one kind of consent."""

    def describe(self, frame: ConsentRequestFrame) -> list[str]:
        """What a grant shares, for the dialog, in the UI's language."""

    async def serve(self, question: Question) -> str:
        """Does what was granted; its outcome. Cancelled when the grant ends first."""


Ask = Callable[[Question], "Awaitable[Answer | bool | None] | Answer | bool | None"]


class ConsentResponder:
    def __init__(
        self,
        channel: DeviceChannel,
        *,
        ask: Ask,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_done: Callable[[Question, str], object] | None = None,
        on_change: Callable[[], object] | None = None,
    ) -> None:
        self.channel = channel
        self.ask = ask
        self.clock = clock
        self.on_done = on_done
        self.on_change = on_change  # the list of grants changed
        self.kinds: dict[str, ConsentKind] = {}
        self.unsupported: list[ConsentRequestFrame] = []  # declined without asking
        self._tasks: dict[str, asyncio.Task] = {}
        self._grants: dict[str, Grant] = {}
        self._closing: dict[str, str] = {}
        channel.on("consent.request", self._on_request)
        channel.on("consent.closed", self._on_closed)
        channel.on("error", self._on_error)

    def serve(self, kind: str, handler: ConsentKind) -> None:
        self.kinds[kind] = handler

    def grants(self) -> list[Grant]:
        """What the customer shares now, oldest first."""
        return list(self._grants.values())

    def pending(self) -> list[str]:
        """Requests still open here (asked or in use)."""
        return list(self._tasks)

    async def _on_request(self, frame: ConsentRequestFrame) -> None:
        handler = self.kinds.get(frame.kind.value)
        if handler is None:
            log.info("consent %s: %s is not supported here; declined", frame.consent_id, frame.kind)
            self.unsupported.append(frame)
            await self.channel.send(
                ConsentAnswerFrame(
                    consent_id=frame.consent_id, granted=False, reason=DeclineReason.unsupported
                )
            )
            return
        why = _unavailable(handler, frame)
        if why is not None:
            await self._decline_unavailable(frame, handler, why)
            return
        question = Question(
            consent_id=frame.consent_id,
            kind=frame.kind.value,
            requester_name=frame.requester_name,
            requester_role=frame.requester_role,
            reason=frame.reason,
            items=handler.describe(frame),
            answer_by=frame.answer_by,
            lasts_seconds=frame.lasts_seconds,
            scope=dict(frame.scope),
            parent_id=frame.parent_id,
        )
        # In a task of its own: the customer may take a while, the channel goes on.
        task = asyncio.create_task(
            self._handle(question, handler), name=f"consent-{question.consent_id}"
        )
        self._tasks[question.consent_id] = task
        task.add_done_callback(lambda _task: self._tasks.pop(question.consent_id, None))

    async def _decline_unavailable(self, frame, handler: ConsentKind, why: str) -> None:
        log.info(
            "consent %s: %s cannot be served now (%s); declined", frame.consent_id, frame.kind, why
        )
        self.unsupported.append(frame)
        await self.channel.send(
            ConsentAnswerFrame(
                consent_id=frame.consent_id, granted=False, reason=DeclineReason.unsupported
            )
        )
        question = Question(
            consent_id=frame.consent_id,
            kind=frame.kind.value,
            requester_name=frame.requester_name,
            requester_role=frame.requester_role,
            reason=frame.reason,
            items=[],
            answer_by=frame.answer_by,
            lasts_seconds=frame.lasts_seconds,
            scope=dict(frame.scope),
            parent_id=frame.parent_id,
        )
        await self._done(question, f"unavailable:{why}")

    async def _ask(self, question: Question) -> Answer | bool | None:
        outcome = self.ask(question)
        if not inspect.isawaitable(outcome):
            return outcome
        # The server closes the request at `answer_by` (and says so); the local deadline,
        # a little later, only covers a channel that dropped meanwhile.
        left = (question.answer_by - self.clock()).total_seconds()
        try:
            return await asyncio.wait_for(outcome, max(0.0, left) + LOCAL_GRACE_SECONDS)
        except TimeoutError:
            return None

    async def _handle(self, question: Question, handler: ConsentKind) -> None:
        consent_id = question.consent_id
        try:
            granted = await self._ask(question)
        except asyncio.CancelledError:
            await self._done(question, self._closing.pop(consent_id, "expired"))
            raise
        if granted is None:
            log.info("consent %s: no answer from the customer", consent_id)
            await self._done(question, "unanswered")
            return
        if isinstance(granted, Answer):
            question.choice, question.detail = granted.choice, dict(granted.detail)
            granted = granted.granted
        await self.channel.send(
            ConsentAnswerFrame(
                consent_id=consent_id,
                granted=bool(granted),
                choice=question.choice if granted else None,
            )
        )
        if not granted:
            await self._done(question, "declined")
            return
        self._grants[consent_id] = Grant(question, self.clock())
        self._changed()
        try:
            outcome = await handler.serve(question)
        except asyncio.CancelledError:
            await self._done(question, self._closing.pop(consent_id, "revoked"))
            raise
        except Exception:
            log.exception("consent %s: the %s failed", consent_id, question.kind)
            outcome = "failed"
        await self._done(question, outcome)

    async def revoke(self, consent_id: str) -> bool:
        """The customer stops a grant: the server hears it, the work stops, nothing more is
        sent under it. False when it is not (or no longer) in use."""
        if consent_id not in self._grants:
            return False
        await self.channel.send(ConsentRevokeFrame(consent_id=consent_id))
        task = self._tasks.get(consent_id)
        if task is not None:
            self._closing[consent_id] = "revoked"
            task.cancel()
        return True

    async def _on_closed(self, frame) -> None:
        task = self._tasks.get(frame.consent_id)
        if task is None:
            return
        self._closing[frame.consent_id] = CLOSED_OUTCOMES.get(frame.status.value, "failed")
        task.cancel()

    async def _on_error(self, frame) -> None:
        # The server refused an answer or a revocation: the request was over already
        # (`consent_<status>`), so nothing may happen under it here either.
        task = self._tasks.get(frame.request_id or "")
        if task is None or not frame.code.startswith("consent_"):
            return
        log.info("consent %s: %s", frame.request_id, frame.message)
        self._closing[frame.request_id] = "expired"
        task.cancel()

    async def _done(self, question: Question, outcome: str) -> None:
        if self._grants.pop(question.consent_id, None) is not None:
            self._changed()
        if self.on_done is None:
            return
        result = self.on_done(question, outcome)
        if inspect.isawaitable(result):
            await result

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # the page redraws on its next change either way
                log.exception("could not tell the page that the grants changed")


def _unavailable(handler: ConsentKind, frame: ConsentRequestFrame) -> str | None:
    check = getattr(handler, "unavailable", None)
    if check is None:
        return None
    try:
        return check(frame)
    except Exception:  # a check that fails cannot promise anything: decline
        log.exception(
            "consent %s: could not tell whether %s is possible", frame.consent_id, frame.kind
        )
        return "failed"
