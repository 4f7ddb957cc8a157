"""Paid sessions from the customer's side, over the device channel (the frames are
`isp_common.paid_sessions_wire`).

    sessions = SessionClient(channel, on_change=refresh_the_page)
    ack = await sessions.command(SessionConfirm(command_id=new_command_id(), session_id=4,
                                                maximum=3_000), timeout=10)
    sessions.latest(conversation_id)      # PaidSession: proposal, meter, summary

What the server says about a session (a proposal, the meter, the summary) is kept per
session; the page shows the latest session of each conversation.

Commands: each carries a `command_id` chosen here (or by the page, so a page that asks again
after a failed request asks with the same id). A command is sent again, with the same id,
until the server answers it (`session.ack`, or an `error` whose `request_id` is the id): at
once after a reconnect and every `retry_seconds` while connected. The server applies an id
once and answers a repeat with the first result, so a command sent twice across a dropped
connection is applied once. A command the page sends again while the first is still on its
way waits for that one; one already answered answers again with the same result.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from assistant.escalation.channel import DeviceChannel
from assistant.escalation.errors import ServerRefused
from isp_common.paid_sessions_wire import (
    ACK,
    METER,
    PROPOSAL,
    SUMMARY,
    SessionAck,
    SessionMeter,
    SessionProposal,
    SessionStatus,
    SessionSummary,
)

log = logging.getLogger(__name__)

ANSWERS_KEPT = 200  # answered commands remembered, for a page that asks again


def new_command_id() -> str:
    return uuid.uuid4().hex


@dataclass
class PaidSession:
    """All the assistant knows of one session, as the server last said it."""

    session_id: int
    conversation_id: int
    proposal: SessionProposal | None = None
    meter: SessionMeter | None = None
    summary: SessionSummary | None = None
    meter_received: float = 0.0  # time.monotonic() when the meter came (the clock runs on)

    @property
    def status(self) -> SessionStatus:
        if self.summary is not None:
            return SessionStatus.ended
        if self.meter is not None:
            return self.meter.status
        return SessionStatus.proposed


@dataclass
class _Pending:
    frame: object
    future: asyncio.Future
    sent_at: float = 0.0


class SessionClient:
    def __init__(
        self,
        channel: DeviceChannel,
        *,
        on_change: Callable[[], object] | None = None,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.channel = channel
        self.on_change = on_change
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.sessions: dict[int, PaidSession] = {}
        self._pending: dict[str, _Pending] = {}
        self._answered: OrderedDict[str, SessionAck] = OrderedDict()
        self._retry_task: asyncio.Task | None = None
        for frame_type, handler in {
            PROPOSAL: self._on_proposal,
            METER: self._on_meter,
            SUMMARY: self._on_summary,
            ACK: self._on_ack,
            "error": self._on_error,
        }.items():
            channel.on(frame_type, handler)
        channel.on_connected(self._resume)

    # --- what the UI reads ------------------------------------------------------------

    def latest(self, conversation_id: int) -> PaidSession | None:
        """The conversation's newest session (the one the page shows), or None."""
        mine = [s for s in self.sessions.values() if s.conversation_id == conversation_id]
        return max(mine, key=lambda s: s.session_id, default=None)

    def session(self, session_id: int) -> PaidSession | None:
        return self.sessions.get(session_id)

    def waiting(self, session_id: int) -> list[object]:
        """The commands for this session still on their way (sent again until answered)."""
        return [
            pending.frame
            for pending in self._pending.values()
            if getattr(pending.frame, "session_id", None) == session_id
        ]

    def answered(self, command_id: str | None) -> SessionAck | None:
        """The answer a command with this id already had, if it had one."""
        return self._answered.get(command_id) if command_id else None

    # --- commands ------------------------------------------------------------------------

    async def command(self, frame, timeout: float | None = None) -> SessionAck:
        """Sends `frame` (any command of `paid_sessions_wire`) until the server answers it;
        its `SessionAck`, or ServerRefused. TimeoutError after `timeout`: the command
        stays on its way (with its id) until answered."""
        key = frame.command_id
        if key in self._answered:
            return self._answered[key]
        pending = self._pending.get(key)
        if pending is None:
            future = asyncio.get_running_loop().create_future()
            # Retrieved so an answer nobody waits for any more is not logged as lost.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
            pending = self._pending[key] = _Pending(frame, future)
            self._ensure_retrying()
            await self._transmit(pending)
            self._changed()
        return await asyncio.wait_for(asyncio.shield(pending.future), timeout)

    async def stop(self) -> None:
        if self._retry_task is not None:
            self._retry_task.cancel()

    async def _transmit(self, pending: _Pending) -> None:
        pending.sent_at = self.clock()
        await self.channel.send(pending.frame)

    def _ensure_retrying(self) -> None:
        if self._retry_task is None or self._retry_task.done():
            self._retry_task = asyncio.create_task(self._retry_loop(), name="session-retry")

    async def _retry_loop(self) -> None:
        while self._pending:
            await asyncio.sleep(min(1.0, self.retry_seconds))
            now = self.clock()
            for pending in list(self._pending.values()):
                if self.channel.connected and now - pending.sent_at >= self.retry_seconds:
                    await self._transmit(pending)

    async def _resume(self) -> None:
        for pending in list(self._pending.values()):
            await self._transmit(pending)

    def _settle(self, key: str, *, ack: SessionAck | None = None, error=None) -> bool:
        pending = self._pending.pop(key, None)
        if pending is None:
            return False
        if ack is not None:
            self._answered[key] = ack
            while len(self._answered) > ANSWERS_KEPT:
                self._answered.popitem(last=False)
            if not pending.future.done():
                pending.future.set_result(ack)
        elif not pending.future.done():
            pending.future.set_exception(error)
        return True

    # --- what the server says --------------------------------------------------------------

    def _session(self, session_id: int, conversation_id: int) -> PaidSession:
        known = self.sessions.get(session_id)
        if known is None:
            known = self.sessions[session_id] = PaidSession(session_id, conversation_id)
        return known

    async def _on_proposal(self, frame: SessionProposal) -> None:
        self._session(frame.session_id, frame.conversation_id).proposal = frame
        self._changed()

    def _take_meter(self, meter: SessionMeter) -> None:
        known = self._session(meter.session_id, meter.conversation_id)
        if known.meter is not None and meter.as_of < known.meter.as_of:
            return  # an older state that arrived late (an ack's, say)
        known.meter = meter
        known.meter_received = self.clock()

    async def _on_meter(self, frame: SessionMeter) -> None:
        self._take_meter(frame)
        self._changed()

    async def _on_summary(self, frame: SessionSummary) -> None:
        self._session(frame.session_id, frame.conversation_id).summary = frame
        self._changed()

    async def _on_ack(self, frame: SessionAck) -> None:
        self._take_meter(frame.meter)
        self._settle(frame.command_id, ack=frame)
        self._changed()

    async def _on_error(self, frame) -> None:
        key = frame.request_id or ""
        if key in self._pending:
            self._settle(key, error=ServerRefused(frame.code, frame.message))
            self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("session change callback failed")
