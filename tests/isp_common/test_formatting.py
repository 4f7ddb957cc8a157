"""The one formatting of numbers, sizes, durations, times and money both sides use: German
reads German notation and words, English English; money never passes through a float;
a time without a zone is refused rather than shown in a guessed one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import UnknownCurrencyError

import isp_common
from isp_common import formatting
from tests.support.translations import texts_in, without_german

# CLDR puts a no-break space between some numbers and units; a reader sees a space.
SPACE = str.maketrans({"\xa0": " ", "\u202f": " "})


def both(function, *args, **kwargs) -> tuple[str, str]:
    return tuple(
        function(*args, locale=locale, **kwargs).translate(SPACE) for locale in ("de", "en")
    )


def test_counts_and_decimals_are_grouped_the_languages_way():
    assert both(formatting.number, 26_486) == ("26.486", "26,486")
    assert both(formatting.decimal, 1234.56) == ("1.234,6", "1,234.6")
    assert both(formatting.decimal, 2.0) == ("2", "2")  # no ",0" noise
    assert both(formatting.percent, 42.34) == ("42,3 %", "42.3%")


@pytest.mark.parametrize(
    ("size", "german", "english"),
    [
        (41, "41 Byte", "41 bytes"),
        (999, "999 Byte", "999 bytes"),
        (1000, "1 kB", "1 kB"),
        (30_400, "30,4 kB", "30.4 kB"),
        (999_960, "1 MB", "1 MB"),  # rounded before the unit is chosen: not "1.000 kB"
        (2_000_000, "2 MB", "2 MB"),
        (1_534_000, "1,5 MB", "1.5 MB"),
        (16_000_000_000, "16 GB", "16 GB"),
        (5 * 10**15, "5.000 TB", "5,000 TB"),
    ],
)
def test_sizes_use_decimal_units_and_the_languages_decimal_mark(size, german, english):
    assert both(formatting.file_size, size) == (german, english)


def test_durations_name_their_two_largest_units():
    assert both(formatting.duration, 3 * 86_400 + 4 * 3_600 + 20) == (
        "3 Tage, 4 Stunden",
        "3 days, 4 hours",
    )
    assert both(formatting.duration, timedelta(minutes=5)) == ("5 Minuten", "5 minutes")
    assert both(formatting.duration, 1.5) == ("1,5 Sekunden", "1.5 seconds")


def test_times_are_shown_in_the_zone_given_and_a_time_without_zone_is_refused():
    winter = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 5, 10, 0, tzinfo=UTC)
    assert both(formatting.moment, winter, zone="Europe/Berlin") == (
        "05.01.2026, 11:00",
        "Jan 5, 2026, 11:00 AM",
    )
    assert formatting.time_of_day(summer, locale="de", zone="Europe/Berlin") == "12:00"
    assert formatting.moment(winter, locale="de", zone="UTC", seconds=True).endswith("10:00:00")
    assert formatting.day(winter, locale="de", zone="America/New_York") == "05.01.2026"
    with pytest.raises(ValueError, match="has no time zone"):
        formatting.moment(datetime(2026, 1, 5, 10, 0), locale="de", zone="Europe/Berlin")


def test_money_comes_in_minor_units_never_as_a_float():
    assert both(formatting.money, 1999, "EUR") == ("19,99 €", "€19.99")
    assert both(formatting.money, 123_456_789, "EUR") == ("1.234.567,89 €", "€1,234,567.89")
    assert formatting.money(500, "JPY", locale="de").translate(SPACE) == "500 ¥"  # no cents
    assert formatting.money(1000, "KWD", locale="en").endswith("1.000")  # three digits
    for not_minor_units in (19.99, Decimal("19.99"), True):
        with pytest.raises(TypeError, match="whole minor units"):
            formatting.money(not_minor_units, "EUR", locale="de")
    with pytest.raises(UnknownCurrencyError):
        formatting.money(100, "XYZ", locale="de")


def test_yes_and_no_are_words_of_the_language():
    assert both(formatting.yes_no, True) == ("Ja", "Yes")
    assert both(formatting.yes_no, False) == ("Nein", "No")
    catalogue = Path(isp_common.__file__).parent / "locale/de/LC_MESSAGES/common.po"
    found = texts_in(Path(formatting.__file__))
    assert ("Yes",) in found
    assert without_german(found, catalogue) == []


def test_an_amount_typed_in_either_notation_is_read_back_in_minor_units():
    assert both(formatting.money_input, 2250, "EUR") == ("22,50", "22.50")
    assert formatting.money_input(500, "JPY", locale="de") == "500"
    for typed, locale, minor in [
        ("22,50", "de", 2250),
        ("22.50", "de", 2250),  # the English decimal point, typed in German
        ("1.000 €", "de", 100_000),  # a thousand, with the sign
        ("1.000,50", "de", 100_050),
        ("€22.50", "en", 2250),
        ("1,000.50", "en", 100_050),
        ("EUR 30", "en", 3000),
        (" 7 ", "en", 700),
    ]:
        assert formatting.parse_money(typed, "EUR", locale=locale) == minor, typed
    assert (
        formatting.parse_money(
            formatting.money_input(123_456, "EUR", locale="de"), "EUR", locale="de"
        )
        == 123_456
    )
    for nonsense in ["", "  ", "abc", "-5", "0,001", "1,2,3.4.5", ".", "5 Euro", "1e3"]:
        with pytest.raises(ValueError):
            formatting.parse_money(nonsense, "EUR", locale="de")
    with pytest.raises(ValueError):
        formatting.parse_money("500,5", "JPY", locale="de")  # the yen has no cents


def test_a_month_is_named_with_its_year_or_alone_on_a_charts_axis():
    december = date(2026, 12, 1)
    assert formatting.month(december, locale="de") == "Dez. 2026"
    assert formatting.month(december, locale="en") == "Dec 2026"
    assert formatting.month(date(2026, 3, 1), locale="de", with_year=False) == "Mär"


def test_a_currency_written_in_letters_stands_apart_from_the_amount():
    """CLDR's currency spacing, as the browser's Intl writes it: "CHF 14.00" in English
    (not "CHF14.00"), "14,00 CHF" in German; a sign such as "€" stays against its digits."""
    assert formatting.money(1400, "CHF", locale="en") == "CHF\xa014.00"
    assert formatting.money(-501, "CHF", locale="en") == "-CHF\xa05.01"
    assert formatting.money(1400, "CHF", locale="de") == "14,00\xa0CHF"
    assert formatting.money(1400, "EUR", locale="en") == "€14.00"
    assert formatting.money(123_456_789, "CHF", locale="en") == "CHF\xa01,234,567.89"
