"""Values as the customer reads them: `isp_common.formatting` (the portal writes the same
way) in the language texts are rendered in right now, and dates in the computer's own time
zone. The findings' texts use them, and the assistant around them (`assistant.formats`).

    size(30_400) -> "30,4 kB" (German), "30.4 kB" (English)
"""

from __future__ import annotations

from datetime import datetime

from assistant.diagnostics.i18n import language
from isp_common import formatting


def number(value: float) -> str:
    """A count: "1.234" in German."""
    return formatting.number(value, locale=language())


def decimal(value: float, digits: int = 1) -> str:
    return formatting.decimal(value, locale=language(), digits=digits)


def size(num_bytes: float) -> str:
    return formatting.file_size(num_bytes, locale=language())


def moment(when: datetime) -> str:
    """Date and time to the minute, in the computer's time zone."""
    return formatting.moment(when, locale=language(), zone=None)


def day(when: datetime) -> str:
    return formatting.day(when, locale=language(), zone=None)


def time_of_day(when: datetime) -> str:
    return formatting.time_of_day(when, locale=language(), zone=None)


def yes_no(value: bool) -> str:
    return formatting.yes_no(value, locale=language())
