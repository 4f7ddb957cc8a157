"""Values as people read them in their language: numbers, sizes, durations, dates and
times, money, yes and no.

The portal and the assistant both format through this module (on Babel, i.e. CLDR), so
a German reader sees "26.486", "30,4 kB", "19,99 €" and "Ja" on either side, an English
one "26,486", "30.4 kB", "€19.99" (or "CHF 19.99") and "Yes". Every function takes the
``locale`` ("de", "en") explicitly; times also take the zone to show them in.

Decisions:

- Sizes use decimal units: 1 kB = 1000 bytes, 1 MB = 1000 kB, as disk makers, macOS and
  phones count, and the only size units CLDR names in every language (it has no KiB).
  Below 1 kB a size is whole bytes in words ("41 Byte", "41 bytes"); from 1 kB on one
  decimal at most ("30,4 kB", "2 MB").
- Percentages are given as points (0-100), the way the diagnostics facts carry them.
- Money is an integer of minor units with its ISO 4217 code, never a float: the amount
  is ``Decimal(minor)`` shifted by the currency's digits, so no cent is lost on the way.
- A time without a zone is refused: it could only be shown in a guessed zone. Pass
  ``zone=None`` for the computer's own zone (the assistant), a zone name otherwise (the
  portal's setting).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.lists import format_list
from babel.units import format_unit

from isp_common.i18n import translations

__all__ = [
    "day",
    "decimal",
    "duration",
    "file_size",
    "measure",
    "moment",
    "money",
    "money_input",
    "number",
    "parse_money",
    "percent",
    "relative",
    "time_of_day",
    "yes_no",
]

LOCALE_DIR = Path(__file__).parent / "locale"
Number = int | float | Decimal
Zone = str | tzinfo | None

_SIZE_UNITS = ("digital-kilobyte", "digital-megabyte", "digital-gigabyte", "digital-terabyte")
# (unit, seconds in it): a duration names its largest unit and the one below it.
_DURATION_UNITS = (
    ("duration-day", 86_400),
    ("duration-hour", 3_600),
    ("duration-minute", 60),
    ("duration-second", 1),
)


def _pattern(digits: int) -> str:
    """Thousands grouped, at most `digits` decimals ("1.234,5"; "2" rather than "2,0")."""
    return "#,##0" + ("." + "#" * digits if digits > 0 else "")


def number(value: Number, *, locale: str) -> str:
    """A count with the language's grouping: "26.486" (de), "26,486" (en)."""
    return babel_numbers.format_decimal(round(value), format=_pattern(0), locale=locale)


def decimal(value: Number, *, locale: str, digits: int = 1) -> str:
    """A measurement with at most `digits` decimals: "1.234,5" (de)."""
    return babel_numbers.format_decimal(value, format=_pattern(digits), locale=locale)


def percent(points: Number, *, locale: str, digits: int = 1) -> str:
    """A percentage given in points (0-100): "42,3 %" (de), "42.3%" (en)."""
    pattern = _percent_pattern(locale, digits)
    return babel_numbers.format_percent(Decimal(str(points)) / 100, pattern, locale=locale)


@cache
def _percent_pattern(locale: str, digits: int) -> str:
    """The language's own percent pattern ("#,##0 %" in German) with `digits` decimals."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return pattern.replace("#,##0", _pattern(digits), 1)


def measure(value: Number, unit: str, *, locale: str, digits: int = 1) -> str:
    """A value with a CLDR unit, short form: "3.400 MHz", "12,5 ms", "45 °C"."""
    return format_unit(value, unit, "short", format=_pattern(digits), locale=locale)


def file_size(num_bytes: Number, *, locale: str) -> str:
    """A size in decimal units: "41 Byte" / "41 bytes", "30,4 kB", "2 MB"."""
    if abs(num_bytes) < 1000:
        return format_unit(round(num_bytes), "digital-byte", "long", locale=locale)
    value = Decimal(str(num_bytes))
    for unit in _SIZE_UNITS:
        value /= 1000
        # Round first: 999,96 kB reads "1 MB", not "1.000 kB".
        if abs(round(value, 1)) < 1000 or unit == _SIZE_UNITS[-1]:
            return format_unit(value, unit, "short", format=_pattern(1), locale=locale)
    raise AssertionError("unreachable")


def duration(seconds: Number | timedelta, *, locale: str) -> str:
    """A length of time in its two largest units: "3 Tage, 4 Stunden", "1.5 seconds"."""
    total = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
    if abs(total) < 60:
        return format_unit(total, "duration-second", "long", format=_pattern(1), locale=locale)
    whole = round(total)
    for index, (unit, size) in enumerate(_DURATION_UNITS):
        if abs(whole) >= size:
            parts = [format_unit(whole // size, unit, "long", locale=locale)]
            smaller_unit, smaller_size = _DURATION_UNITS[index + 1]
            rest = (whole % size) // smaller_size
            if rest:
                parts.append(format_unit(rest, smaller_unit, "long", locale=locale))
            return format_list(parts, style="unit", locale=locale)
    raise AssertionError("unreachable")


def relative(delta: timedelta, *, locale: str) -> str:
    """How far from now, to the minute: "vor 5 Minuten", "in 2 hours"."""
    return babel_dates.format_timedelta(
        delta, granularity="minute", add_direction=True, locale=locale
    )


def _local(value: datetime, zone: Zone) -> datetime:
    if value.tzinfo is None:
        raise ValueError(f"{value.isoformat()} has no time zone; it cannot be shown correctly")
    if zone is None:
        return value.astimezone()  # the computer's own zone, with its summer time rules
    return value.astimezone(_zone(zone) if isinstance(zone, str) else zone)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def moment(value: datetime, *, locale: str, zone: Zone, seconds: bool = False) -> str:
    """Date and time to the minute (seconds are noise on the phone, unless asked):
    "05.01.2026, 11:00" (de), "Jan 5, 2026, 11:00 AM" (en)."""
    local = _local(value, zone)
    clock = babel_dates.format_time(local, "medium" if seconds else "short", locale=locale)
    return f"{babel_dates.format_date(local, 'medium', locale=locale)}, {clock}"


def day(value: datetime | date, *, locale: str, zone: Zone) -> str:
    """The date alone: "05.01.2026" (de), "Jan 5, 2026" (en)."""
    if isinstance(value, datetime):
        value = _local(value, zone)
    return babel_dates.format_date(value, "medium", locale=locale)


def month(value: date, *, locale: str, with_year: bool = True) -> str:
    """A calendar month: "Dez. 2026" (de), "Dec 2026" (en); without the year "Dez.", "Dec"
    (a chart's axis, where the year stands once below)."""
    return babel_dates.format_skeleton("yMMM" if with_year else "MMM", value, locale=locale)


def time_of_day(value: datetime, *, locale: str, zone: Zone) -> str:
    """The time alone ("11:00", "11:00 AM"), for moments within the next hours."""
    return babel_dates.format_time(_local(value, zone), "short", locale=locale)


def money(minor: int, currency: str, *, locale: str) -> str:
    """An amount in minor units of an ISO 4217 currency: (1999, "EUR") -> "19,99 €" (de)."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"money is counted in whole minor units (int), not {type(minor).__name__}")
    babel_numbers.validate_currency(currency)
    digits = babel_numbers.get_currency_precision(currency)
    amount = Decimal(minor).scaleb(-digits)
    return _spaced(babel_numbers.format_currency(amount, currency, locale=locale))


# CLDR's currency spacing, which Babel does not apply: a currency sign made of letters
# ("CHF") is kept apart from the digits by a no-break space, "CHF 14.00" as ICU and the
# browser's Intl write it, where "€14.00" stays as it is.
_LETTERS_AGAINST_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def _spaced(formatted: str) -> str:
    return _LETTERS_AGAINST_DIGITS.sub("\u00a0", formatted)


def money_input(minor: int, currency: str, *, locale: str) -> str:
    """An amount as a person types it, without the currency: "22,50" (de), "22.50" (en);
    what `parse_money` reads back."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"money is counted in whole minor units (int), not {type(minor).__name__}")
    digits = babel_numbers.get_currency_precision(currency)
    pattern = "0" + ("." + "0" * digits if digits > 0 else "")
    amount = Decimal(minor).scaleb(-digits)
    return babel_numbers.format_decimal(amount, format=pattern, locale=locale)


def parse_money(text: str, currency: str, *, locale: str) -> int:
    """What a person typed as an amount, in minor units: "22,50" (de) and "22.50" (en) ->
    2250. The currency's sign or code, spaces and grouping may be there ("1.000 €"); the
    other language's decimal sign is read as one too when it is not followed by exactly
    three digits ("22.50" typed in German is 22,50; "1.000" a thousand). ValueError when it
    is no amount of this currency: empty, letters, a minus, more decimals than it has."""
    digits = babel_numbers.get_currency_precision(currency)
    cleaned = text.replace(babel_numbers.get_currency_symbol(currency, locale=locale), "")
    cleaned = "".join(cleaned.upper().replace(currency.upper(), "").split())
    cleaned = cleaned.replace("'", "").replace("\u2019", "")  # Swiss grouping: 1'000
    if not cleaned or not set(cleaned) <= set("0123456789.,"):
        raise ValueError(f"not an amount: {text!r}")
    decimal_sign = babel_numbers.get_decimal_symbol(locale)
    whole, fraction = cleaned, ""
    last = max(cleaned.rfind("."), cleaned.rfind(","))
    if last >= 0 and (cleaned[last] == decimal_sign or len(cleaned) - last - 1 != 3):
        whole, fraction = cleaned[:last], cleaned[last + 1 :]
        if cleaned[last] in whole:
            raise ValueError(f"two decimal signs: {text!r}")
    whole = whole.replace(".", "").replace(",", "")
    if not (whole or fraction) or not fraction.isdigit() and fraction:
        raise ValueError(f"not an amount: {text!r}")
    if len(fraction) > digits:
        raise ValueError(f"more decimals than {currency} has: {text!r}")
    return int(whole or "0") * 10**digits + int(fraction.ljust(digits, "0") or "0")


def yes_no(value: bool, *, locale: str) -> str:
    """ "Ja" / "Nein", "Yes" / "No"."""
    gettext = translations(LOCALE_DIR, "common", locale).gettext
    return gettext("Yes") if value else gettext("No")
