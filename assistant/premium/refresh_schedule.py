"""When the assistant asks the server about premium next.

Every six hours while that works (a subscription token lives a day). After a failure
sooner: one minute, doubling with each further failure up to the six hours, so a server
that is back, or an internet connection that returns, is noticed soon. While an
offline-code use waits to be reported, the waits stay at most a quarter of an hour, so the
use reaches the server's audit soon after the connection returns, however long it was
away. Each wait after a failure is shortened by a random part of up to a fifth, so the
assistants that lost the server together do not all come back at the same second.

`ISP_ASSISTANT_REFRESH_RETRY_SECONDS` sets the first wait after a failure (tests, support).
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from datetime import timedelta

NORMAL_INTERVAL = timedelta(hours=6)
FIRST_RETRY = timedelta(minutes=1)
PENDING_RETRY = timedelta(minutes=15)  # the longest wait while something waits to be reported
JITTER = 0.2
RETRY_VARIABLE = "ISP_ASSISTANT_REFRESH_RETRY_SECONDS"


class RefreshSchedule:
    def __init__(
        self,
        *,
        interval: timedelta = NORMAL_INTERVAL,
        first_retry: timedelta = FIRST_RETRY,
        pending_retry: timedelta = PENDING_RETRY,
        jitter: float = JITTER,
        chance: random.Random | None = None,
    ) -> None:
        if not timedelta(0) < first_retry <= interval:
            raise ValueError("the first retry must be sooner than the normal interval")
        self.interval = interval
        self.first_retry = first_retry
        self.pending_retry = max(pending_retry, first_retry)
        self.jitter = jitter
        self._chance = chance or random.Random()
        self._retry: timedelta | None = None  # the last wait after a failure

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> RefreshSchedule:
        value = environ.get(RETRY_VARIABLE)
        if not value:
            return cls()
        try:
            seconds = float(value)
        except ValueError:
            raise ValueError(f"{RETRY_VARIABLE} must be a number of seconds") from None
        return cls(first_retry=timedelta(seconds=seconds))

    def next_wait(self, *, failed: bool, pending: bool = False) -> float:
        """Seconds until the next refresh, after one that `failed` or worked; `pending`:
        something waits to be told to the server (offline-code uses)."""
        if not failed:
            self._retry = None
            return self.interval.total_seconds()
        doubled = self.first_retry if self._retry is None else self._retry * 2
        self._retry = min(doubled, self.interval)
        wait = min(self._retry, self.pending_retry) if pending else self._retry
        return wait.total_seconds() * (1 - self.jitter * self._chance.random())
