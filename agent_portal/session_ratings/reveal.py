"""When ratings are revealed: the one rule, pure (no database).

Both sides' ratings of a session become visible to both together: as soon as both have
rated, or once `reveal_after` has passed since the session ended (then whatever was given
is shown, and rating closes, so nobody rates after reading the other's rating).
"""

from __future__ import annotations

from datetime import datetime, timedelta


def deadline(ended_at: datetime, reveal_after: timedelta) -> datetime:
    return ended_at + reveal_after


def is_revealed(
    *, ratings_given: int, ended_at: datetime, now: datetime, reveal_after: timedelta
) -> bool:
    """`ratings_given`: how many sides have rated (0, 1 or 2)."""
    return ratings_given >= 2 or now >= deadline(ended_at, reveal_after)


def is_open(*, ended_at: datetime, now: datetime, reveal_after: timedelta) -> bool:
    """Whether a side that has not rated yet may still rate."""
    return now < deadline(ended_at, reveal_after)
