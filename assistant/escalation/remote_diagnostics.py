"""Remote diagnostics, the customer's side: the kind report of consent
(`assistant.escalation.consent`).

    consent.serve("report", ReportKind(channel))

The request is asked and answered like every consent; this kind names what a report holds
(the checks' titles, in the UI's language, for the dialog) and, once the customer allowed
it, runs the checks (full depth: the hotline needs it to help) and sends the report
(`diagnostics.report`), again after a reconnect until the server confirms it
(`diagnostics.received`). Stopped by the customer or ended by the server first, nothing is
sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from assistant.escalation import texts
from assistant.escalation.channel import DeviceChannel
from isp_common.live_wire import DiagnosticsReportUpload

log = logging.getLogger(__name__)


async def _run_all_checks(categories: list[str], include_premium: bool):
    from assistant.diagnostics import run_diagnostics

    return await run_diagnostics(categories=categories, include_premium=include_premium)


def _scope(scope: dict) -> tuple[list[str], bool]:
    return list(scope.get("categories") or []), bool(scope.get("include_premium", True))


class ReportKind:
    def __init__(
        self,
        channel: DeviceChannel,
        *,
        run: Callable = _run_all_checks,
        describe: Callable[[list[str], bool], list[str]] = texts.sent_items,
    ) -> None:
        """`run(categories, include_premium)` makes the report (a DiagnosticsReport);
        `describe(categories, include_premium)` names what it holds (the titles of the
        checks `run` runs)."""
        self.channel = channel
        self.run = run
        self.describe_checks = describe
        self._unconfirmed: dict[str, DiagnosticsReportUpload] = {}
        channel.on("error", self._on_error)
        channel.on("diagnostics.received", self._on_received)
        channel.on_connected(self._resend_reports)

    def describe(self, frame) -> list[str]:
        return self.describe_checks(*_scope(frame.scope))

    async def serve(self, question) -> str:
        report = await self.run(*_scope(question.scope))
        upload = DiagnosticsReportUpload.of(question.consent_id, report)
        self._unconfirmed[question.consent_id] = upload
        await self.channel.send(upload)
        return "sent"

    async def _resend_reports(self) -> None:
        for upload in list(self._unconfirmed.values()):
            await self.channel.send(upload)

    async def _on_received(self, frame) -> None:
        self._unconfirmed.pop(frame.request_id, None)

    async def _on_error(self, frame) -> None:
        # A report the server has already, or can no longer take: no use sending it again.
        if frame.request_id in self._unconfirmed:
            log.info("diagnostics %s: %s", frame.request_id, frame.message)
            self._unconfirmed.pop(frame.request_id, None)
