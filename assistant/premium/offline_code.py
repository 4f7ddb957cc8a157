"""Offline unlock on the desktop: checks a code an agent read out, without the server.

A code unlocks premium for one session, once. Used codes, wrong attempts and the lock after
too many wrong codes are kept in a state file in the data directory (owner-only), so
restarting the assistant neither makes a used code valid again nor resets the lock. Every use
is kept until the server has been told about it (`unreported_uses` / `mark_reported`). The
code itself comes from `isp_common.offline_codes`; the threat model is docs/offline-unlock.md.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.premium.errors import (
    CodeAlreadyUsed,
    CodeFormatInvalid,
    CodeInvalid,
    TooManyAttempts,
)
from isp_common.clock import Clock, utc_now
from isp_common.entitlements import UtcDatetime
from isp_common.offline_codes import (
    CODE_DIGITS,
    CODE_INTERVAL,
    OfflineCodeIssuer,
    OfflineCodeUse,
    check_secret,
    code_for_step,
    codes_equal,
    time_step,
)
from isp_common.private_files import ensure_private_dir, read_private_file, write_private_file

__all__ = ["OfflineCodeIssuer", "OfflineCodeUse", "OfflineCodeVerifier"]

logger = logging.getLogger(__name__)

STATE_FILE_NAME = "offline-unlock.json"
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
_SEPARATORS = re.compile(r"[\s\-./]+")


class _State(BaseModel):
    last_used_step: int | None = None
    uses: list[OfflineCodeUse] = []
    failures: list[UtcDatetime] = []
    locked_until: UtcDatetime | None = None


class OfflineCodeVerifier:
    def __init__(
        self,
        *,
        secret: str,
        device_id: str,
        state_dir: Path,
        clock: Clock = utc_now,
        interval: timedelta = CODE_INTERVAL,
        digits: int = CODE_DIGITS,
        max_failures: int = MAX_FAILURES,
        failure_window: timedelta = FAILURE_WINDOW,
        lockout: timedelta = LOCKOUT,
    ) -> None:
        self._secret = check_secret(secret)
        self.device_id = device_id
        self._path = Path(state_dir) / STATE_FILE_NAME
        self._clock = clock
        self.interval = interval
        self.digits = digits
        self.max_failures = max_failures
        self.failure_window = failure_window
        self.lockout = lockout
        self._lock = threading.Lock()
        ensure_private_dir(Path(state_dir), logger=logger)

    def redeem(self, code: str) -> OfflineCodeUse:
        """Check the code and use it up; the caller then unlocks the session.

        Raises CodeFormatInvalid (a typing slip, not counted), TooManyAttempts (locked,
        even a right code is refused), CodeInvalid (counted) or CodeAlreadyUsed.
        """
        digits = _SEPARATORS.sub("", code or "")
        if len(digits) != self.digits or not digits.isascii() or not digits.isdigit():
            raise CodeFormatInvalid("not the right number of digits")
        with self._lock:
            now = self._clock()
            state = self._load()
            if state.locked_until is not None and now < state.locked_until:
                raise TooManyAttempts(state.locked_until, "locked after wrong codes")
            matched = self._matching_step(digits, now)
            if matched is None:
                raise self._count_failure(state, now)
            if state.last_used_step is not None and matched <= state.last_used_step:
                raise CodeAlreadyUsed(f"time step {matched} was used already")
            use = OfflineCodeUse(device_id=self.device_id, time_step=matched, used_at=now)
            state.last_used_step = matched
            state.uses.append(use)
            state.failures.clear()
            state.locked_until = None
            self._save(state)
            logger.info("offline unlock code of step %s used", matched)
            return use

    def locked_until(self) -> datetime | None:
        """When codes can be tried again, or None if they can be tried now."""
        with self._lock:
            locked_until = self._load().locked_until
        if locked_until is not None and self._clock() < locked_until:
            return locked_until
        return None

    def unreported_uses(self) -> tuple[OfflineCodeUse, ...]:
        with self._lock:
            return tuple(self._load().uses)

    def mark_reported(self, uses: Iterable[OfflineCodeUse]) -> None:
        """Forget uses the server has acknowledged; the used code stays refused."""
        reported = {(use.device_id, use.time_step) for use in uses}
        with self._lock:
            state = self._load()
            state.uses = [u for u in state.uses if (u.device_id, u.time_step) not in reported]
            self._save(state)

    def _matching_step(self, digits: str, now: datetime) -> int | None:
        current = time_step(now, self.interval)
        matched = None
        # Compare with both accepted steps every time, so timing says nothing about which.
        for step in (current, current - 1):
            expected = code_for_step(self._secret, step, digits=self.digits)
            if codes_equal(digits, expected) and matched is None:
                matched = step
        return matched

    def _count_failure(self, state: _State, now: datetime) -> CodeInvalid | TooManyAttempts:
        """Record a wrong code; the error to raise: CodeInvalid, or TooManyAttempts at the limit."""
        state.failures = [t for t in state.failures if now - t < self.failure_window]
        state.failures.append(now)
        if len(state.failures) >= self.max_failures:
            state.failures.clear()
            state.locked_until = now + self.lockout
            self._save(state)
            logger.warning("offline unlock locked until %s after wrong codes", state.locked_until)
            return TooManyAttempts(state.locked_until, "too many wrong codes")
        self._save(state)
        return CodeInvalid(self.max_failures - len(state.failures), "wrong code")

    def _load(self) -> _State:
        try:
            return _State.model_validate_json(read_private_file(self._path, logger=logger))
        except FileNotFoundError:
            return _State()
        except (OSError, ValidationError) as error:
            # Only the user can damage this file, and they hold the secret anyway
            # (docs/offline-unlock.md); starting afresh keeps their assistant usable.
            logger.warning(
                "offline unlock state %s unreadable, starting afresh: %s", self._path, error
            )
            return _State()

    def _save(self, state: _State) -> None:
        write_private_file(self._path, state.model_dump_json().encode())
