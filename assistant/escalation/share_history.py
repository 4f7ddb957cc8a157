"""What the customer shared, and with whom: every request for a screen view, remote control
or a report this assistant saw, with who asked, when, the answer and when it stopped.

The server keeps the consent records too; the assistant has no endpoint to read them, so
this list is built from what the assistant itself saw, and kept in the data folder
(`shared.json`, newest last, at most `KEEP` entries) so it outlives a restart.

    history = ShareHistory(data_dir() / "shared.json")
    history.asked(question)                 # the request arrived
    history.answered(consent_id, "granted", choice="window")
    history.ended(consent_id, "revoked")    # how it ended (or "declined", "unanswered" ...)
    history.entries()                       # newest first
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

log = logging.getLogger(__name__)
KEEP = 200
# Outcomes that are an answer (the request never became a grant) rather than an end.
NOT_GRANTED = {"declined", "unanswered", "expired", "not_viewing", "failed"}


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
            if entry.stopped_at is None:
                entry.stopped_at = self.clock().isoformat()
                entry.stop_reason = outcome
                self._save()

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
