"""Remote diagnostics on approval, the customer's side.

    responder = DiagnosticsResponder(channel, consent=ask_customer)

When an agent asks, `consent(agent_name, what_will_be_sent)` is called (plain or async):
the UI shows a dialog naming the agent and listing `what_will_be_sent` (the checks'
titles, in the UI's language) and returns True (allow), False (decline) or None (no
answer). It is cancelled (asyncio.CancelledError inside it) when the server ends the
request first, e.g. after two minutes without an answer: the dialog should then close.
Allowed, the checks run (full depth: the hotline needs it to help) and the report goes
to the server; declined, the server is told; unanswered, nothing is sent at all.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from assistant.escalation import texts
from assistant.escalation.channel import DeviceChannel
from isp_common.live_wire import DiagnosticsAnswer, DiagnosticsReportUpload

log = logging.getLogger(__name__)

Consent = Callable[[str, list[str]], "Awaitable[bool | None] | bool | None"]
LOCAL_GRACE_SECONDS = 5


async def _run_all_checks(categories: list[str], include_premium: bool):
    from assistant.diagnostics import run_diagnostics

    return await run_diagnostics(categories=categories, include_premium=include_premium)


class DiagnosticsResponder:
    def __init__(
        self,
        channel: DeviceChannel,
        *,
        consent: Consent,
        run: Callable = _run_all_checks,
        describe: Callable[[list[str], bool], list[str]] = texts.sent_items,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_done: Callable[[str, str], object] | None = None,
    ) -> None:
        """`run(categories, include_premium)` makes the report (a DiagnosticsReport);
        `describe(categories, include_premium)` names what it holds, for the dialog (the
        titles of the checks `run` runs); `on_done(request_id, outcome)` tells the UI how
        it ended: "sent", "declined", "unanswered", "expired" or "failed"."""
        self.channel = channel
        self.consent = consent
        self.run = run
        self.describe = describe
        self.clock = clock
        self.on_done = on_done
        self._tasks: dict[str, asyncio.Task] = {}
        self._askers: dict[str, str] = {}  # request id -> the agent's name, until done
        self._unconfirmed: dict[str, DiagnosticsReportUpload] = {}
        self._closing: dict[str, str] = {}
        channel.on("diagnostics.request", self._on_request)
        channel.on("error", self._on_error)
        channel.on("diagnostics.closed", self._on_closed)
        channel.on("diagnostics.received", self._on_received)
        channel.on_connected(self._resend_reports)

    async def _on_request(self, frame) -> None:
        # In a task of its own: the customer may take a while, the channel goes on.
        task = asyncio.create_task(self._handle(frame), name=f"diagnostics-{frame.request_id}")
        self._tasks[frame.request_id] = task
        self._askers[frame.request_id] = frame.agent_name
        task.add_done_callback(lambda _task: self._tasks.pop(frame.request_id, None))

    async def _ask(self, frame) -> bool | None:
        what = self.describe(frame.categories, frame.include_premium)
        outcome = self.consent(frame.agent_name, what)
        if not inspect.isawaitable(outcome):
            return outcome
        # The server ends the request at `expires_at` (and says so); the local deadline,
        # a little later, only covers a channel that dropped meanwhile.
        seconds = max(0.0, (frame.expires_at - self.clock()).total_seconds()) + LOCAL_GRACE_SECONDS
        try:
            return await asyncio.wait_for(outcome, seconds)
        except TimeoutError:
            return None

    async def _handle(self, frame) -> None:
        request_id = frame.request_id
        try:
            allowed = await self._ask(frame)
        except asyncio.CancelledError:
            await self._done(request_id, self._closing.pop(request_id, "expired"))
            raise
        if allowed is None:
            log.info("diagnostics %s: no answer from the customer", request_id)
            await self._done(request_id, "unanswered")
            return
        await self.channel.send(DiagnosticsAnswer(request_id=request_id, allowed=bool(allowed)))
        if not allowed:
            await self._done(request_id, "declined")
            return
        try:
            report = await self.run(frame.categories, frame.include_premium)
        except Exception:
            log.exception("diagnostics %s: the checks failed", request_id)
            await self._done(request_id, "failed")
            return
        upload = DiagnosticsReportUpload.of(request_id, report)
        self._unconfirmed[request_id] = upload
        await self.channel.send(upload)
        await self._done(request_id, "sent")

    async def _resend_reports(self) -> None:
        for upload in list(self._unconfirmed.values()):
            await self.channel.send(upload)

    async def _on_received(self, frame) -> None:
        self._unconfirmed.pop(frame.request_id, None)

    async def _on_closed(self, frame) -> None:
        task = self._tasks.get(frame.request_id)
        if task is not None:
            self._closing[frame.request_id] = frame.status.value
            task.cancel()

    async def _on_error(self, frame) -> None:
        # A report the server has already, or can no longer take: no use sending it again.
        if frame.request_id in self._unconfirmed:
            log.info("diagnostics %s: %s", frame.request_id, frame.message)
            self._unconfirmed.pop(frame.request_id, None)

    async def _done(self, request_id: str, outcome: str) -> None:
        try:
            if self.on_done is None:
                return
            result = self.on_done(request_id, outcome)
            if inspect.isawaitable(result):
                await result
        finally:
            self._askers.pop(request_id, None)

    def asker(self, request_id: str) -> str:
        """The name of the agent who asked, while the request is open (for `on_done`)."""
        return self._askers.get(request_id, "")

    def pending(self) -> list[str]:
        """Requests whose answer is still open (for the UI after it reopens)."""
        return list(self._tasks)
