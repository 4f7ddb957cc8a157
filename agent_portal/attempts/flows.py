"""Reserving an attempt as a step of its own: committed before the secret is checked, and
waiting a moment while parallel requests hold a key's last attempts.

The commit is the point of this step: a reservation only keeps parallel requests within
the limit once they can see it. Waiting matters when requests that may well be right
arrive together (customers behind one address, say): without it, the ones beyond the
attempts left would be told "locked" although nothing failed. The wait ends as soon as
those attempts have a verdict, so a burst of wrong guesses gets its lock within
milliseconds; it gives up after `wait` seconds (e.g. when a request died mid-check).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from agent_portal.attempts.service import (
    AttemptPolicy,
    AttemptsInFlight,
    AttemptsUsedUp,
    Reservation,
    reserve,
)

WAIT_SECONDS = 2.0
FIRST_PAUSE_SECONDS = 0.005
LONGEST_PAUSE_SECONDS = 0.1


def reserve_committed(
    *,
    db_session: Session,
    limits: Mapping[str, AttemptPolicy],
    now: datetime,
    wait: float = WAIT_SECONDS,
) -> Reservation:
    """`reserve`, committed; raises AttemptsUsedUp (AttemptsInFlight after the wait)."""
    deadline = time.monotonic() + wait
    pause = FIRST_PAUSE_SECONDS
    while True:
        try:
            reservation = reserve(db_session=db_session, limits=limits, now=now)
        except AttemptsInFlight:
            # Ends this transaction before waiting: on SQLite it holds the one write lock,
            # which the requests waited for need to store their verdicts.
            db_session.commit()
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
            continue
        except AttemptsUsedUp:
            db_session.commit()  # what `reserve` gave back on the other keys
            raise
        db_session.commit()
        return reservation
