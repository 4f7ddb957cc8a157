"""Time as both sides see it: timezone-aware UTC datetimes, and a clock passed in as a
callable, so tests hand over a fixed time instead of patching `datetime`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime, *, name: str = "time") -> datetime:
    """The same instant in UTC; a naive datetime is refused, since its zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")
    return value.astimezone(UTC)
