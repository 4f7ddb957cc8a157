"""What the customer shared, and with whom: every request for a screen view, remote control
or a report this assistant saw, with who asked, when, the answer and when it stopped.

The list is built from what the assistant itself saw, and kept in the data folder
(`shared.json`, newest last, at most `KEEP` entries) so it outlives a restart. The server
keeps the consent records too; whenever its record is read (`consent_record`), `merge`
adds what this assistant never saw (a request to another of the customer's computers, one
that ran out while the assistant was closed) and corrects what only the server knows (a
"Share" that came after the time to answer had run out shared nothing).

    history = ShareHistory(data_dir() / "shared.json")
    history.asked(question)                 # the request arrived
    history.answered(consent_id, "granted", choice="window")
    history.ended(consent_id, "revoked")    # how it ended (or "declined", "unanswered" ...)
    history.entries()                       # newest first
    history.merge(server_record, own_device_id=key.device_id)
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from isp_common.consent_wire import ConsentHistoryEntry

log = logging.getLogger(__name__)
KEEP = 200
# Outcomes that are an answer (the request never became a grant) rather than an end.
NOT_GRANTED = {"declined", "unanswered", "expired", "not_viewing", "failed"}
# The assistant's own words for a refusal it made, more precise than the server's "refused".
OWN_REFUSALS = {"declined", "unavailable", "not_viewing", "failed"}
# How the server says a grant ended, in the words of this list (the assistant's own reason,
# when it has one, says more: it signed out, the connection was lost ...).
SERVER_STOPS = {
    "revoked": "revoked",
    "completed": "stopped",
    "withdrawn": "closed",
    "parent_closed": "parent_closed",
    "expired": "expired",
}


@dataclass
class Entry:
    consent_id: str
    kind: str
    requester_name: str
    requester_role: str
    reason: str
    asked_at: str
    answer: str = "pending"  # granted | declined | unanswered | expired | unavailable ...
    choice: str | None = None
    answered_at: str | None = None
    stopped_at: str | None = None
    stop_reason: str | None = None
    device_name: str = ""  # another of the customer's computers; empty for this one


class ShareHistory:
    def __init__(
        self, path: Path | None, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: list[Entry] = self._load()

    def _load(self) -> list[Entry]:
        if self.path is None:
            return []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return [Entry(**item) for item in raw if isinstance(item, dict)][-KEEP:]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError) as err:
            log.warning("the list of what was shared is unreadable (%s); starting anew", err)
            return []

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(reversed(self._entries))

    def _find(self, consent_id: str) -> Entry | None:
        return next((e for e in reversed(self._entries) if e.consent_id == consent_id), None)

    def asked(self, question) -> Entry:
        with self._lock:
            entry = self._find(question.consent_id)
            if entry is None:
                entry = Entry(
                    consent_id=question.consent_id,
                    kind=question.kind,
                    requester_name=question.requester_name,
                    requester_role=question.requester_role,
                    reason=question.reason,
                    asked_at=self.clock().isoformat(),
                )
                self._entries = [*self._entries, entry][-KEEP:]
                self._save()
            return entry

    def answered(self, consent_id: str, answer: str, choice: str | None = None) -> None:
        with self._lock:
            entry = self._find(consent_id)
            if entry is None or entry.answered_at is not None:
                return
            entry.answer, entry.choice = answer, choice
            entry.answered_at = self.clock().isoformat()
            self._save()

    def ended(self, consent_id: str, outcome: str) -> None:
        """How the request ended: a refusal (never granted), or the end of a grant."""
        entry = self._find(consent_id)
        if entry is None:
            return
        if entry.answer == "pending":
            if outcome.startswith("unavailable"):
                outcome = "unavailable"
            self.answered(
                consent_id, outcome if outcome in NOT_GRANTED | {"unavailable"} else "failed"
            )
            return
        with self._lock:
            if entry.answer == "granted" and entry.stopped_at is None:  # a "no" never stops
                entry.stopped_at = self.clock().isoformat()
                entry.stop_reason = outcome
                self._save()

    def merge(self, record: list[ConsentHistoryEntry], own_device_id: str) -> bool:
        """Completes the list from the server's record (see the module's docstring); the
        server's answer stands where it is final, the assistant's own reasons where they
        say more. Whether anything changed."""
        with self._lock:
            known = {entry.consent_id: entry for entry in self._entries}
            changed = False
            for item in record:
                entry = known.get(item.consent_id)
                if entry is None:
                    entry = known[item.consent_id] = _new_entry(item)
                    changed = True
                before = asdict(entry)
                _settle(entry, item, own_device_id)
                changed = changed or asdict(entry) != before
            if changed:
                ordered = sorted(known.values(), key=lambda e: datetime.fromisoformat(e.asked_at))
                self._entries = ordered[-KEEP:]
                self._save()
            return changed

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps([asdict(e) for e in self._entries], ensure_ascii=False, indent=1)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".shared-")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, self.path)
        except OSError as err:  # the list on screen stays right; only the file lags
            log.warning("could not save the list of what was shared: %s", err)


def _new_entry(item: ConsentHistoryEntry) -> Entry:
    return Entry(
        consent_id=item.consent_id,
        kind=item.kind,
        requester_name=item.requester_name,
        requester_role=item.requester_role,
        reason=item.reason,
        asked_at=item.asked_at.isoformat(),
    )


def _server_answer(item: ConsentHistoryEntry) -> str:
    """The answer the server recorded, in this list's words."""
    if item.status in ("granted", "revoked"):
        return "granted"
    if item.status == "ended":  # granted first, or withdrawn (or run out) before an answer
        if item.answered_at is not None:
            return "granted"
        return "expired" if item.end_reason == "expired" else "withdrawn"
    return {"refused": "declined", "timed_out": "unanswered"}.get(item.status, "pending")


def _settle(entry: Entry, item: ConsentHistoryEntry, own_device_id: str) -> None:
    entry.device_name = "" if item.device_id == own_device_id else item.device_name
    entry.requester_role = entry.requester_role or item.requester_role
    entry.asked_at = item.asked_at.isoformat()
    answer = _server_answer(item)
    if answer == "pending":
        return  # the server has not heard the answer yet; the assistant's own stands
    if answer == "granted":
        entry.answer = "granted"
        entry.choice = item.choice or entry.choice
    elif not (answer == "declined" and entry.answer in OWN_REFUSALS):
        entry.answer = answer  # nothing was shared, whatever the assistant believed
    if item.answered_at is not None:
        entry.answered_at = item.answered_at.isoformat()
    if entry.answer != "granted":  # nothing was shared, so nothing stopped
        entry.stopped_at = entry.stop_reason = None
    elif item.closed_at is not None:
        entry.stopped_at = item.closed_at.isoformat()
        server_reason = "revoked" if item.status == "revoked" else item.end_reason
        entry.stop_reason = entry.stop_reason or SERVER_STOPS.get(server_reason, "stopped")
