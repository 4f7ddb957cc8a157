"""Input rules for an expert's profile: what the expert typed becomes a `ProfileIn`, or
`InvalidProfile` names every field that is not acceptable, so a form shows all problems at
once. Nothing here touches the database except to look the chosen categories up.

Texts are plain text: surrounding blanks go, line breaks stay, control characters go.
Prices are integers in minor units of the ISP's currency (`PORTAL_CURRENCY`), within the
limits of the settings; at least one of the two prices is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from babel import numbers as babel_numbers

from agent_portal.experts.errors import N_, InvalidProfile, Money, Problem, problem

DISPLAY_NAME_MAX = 100
SLOGAN_MAX = 300
QUALIFICATIONS_MAX = 3_000
EXPERIENCE_MAX = 3_000
KEYWORD_MAX = 40
KEYWORDS_MAX = 10  # 10 keywords of 40 characters, joined by ", ", fit the column's 500
CATEGORIES_MAX = 3
# The languages an expert may speak and write in (ISO 639-1), in the order forms list them.
SPOKEN_LANGUAGES = (
    "de",
    "en",
    "fr",
    "it",
    "rm",
    "es",
    "pt",
    "nl",
    "pl",
    "tr",
    "sq",
    "sr",
    "hr",
    "uk",
    "ru",
    "ar",
    "zh",
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class PriceLimits:
    """Allowed prices in minor units of `currency` (from the settings)."""

    currency: str = "CHF"
    per_minute_min: int = 50
    per_minute_max: int = 2_000
    per_session_min: int = 1_000
    per_session_max: int = 50_000

    @classmethod
    def from_settings(cls, settings) -> PriceLimits:
        return cls(
            currency=settings.currency,
            per_minute_min=settings.expert_price_per_minute_min,
            per_minute_max=settings.expert_price_per_minute_max,
            per_session_min=settings.expert_price_per_session_min,
            per_session_max=settings.expert_price_per_session_max,
        )


@dataclass(frozen=True)
class ProfileIn:
    """A profile as it would be stored (all checked)."""

    display_name: str
    languages: tuple[str, ...]
    category_ids: tuple[int, ...]
    keywords: tuple[str, ...]
    slogan: str
    qualifications: str
    experience: str
    text_language: str
    price_per_minute: int | None
    price_per_session: int | None
    currency: str


def one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", (text or "").replace("\t", " ")).split())


def paragraphs(text: str) -> str:
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def split_keywords(keywords: str | Iterable[str]) -> list[str]:
    """Keywords from "router, WLAN; mesh" or a list; the first spelling of one wins."""
    parts = re.split(r"[,;\n]", keywords if isinstance(keywords, str) else "\n".join(keywords))
    seen, result = set(), []
    for part in parts:
        keyword = one_line(part)
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            result.append(keyword)
    return result


def _too_long(text: str, maximum: int) -> Problem | None:
    if len(text) <= maximum:
        return None
    return problem(
        N_("At most %(maximum)s characters, please (now %(length)s)."),
        maximum=maximum,
        length=len(text),
    )


def _price(
    value: int | None, low: int, high: int, problems: dict, field: str, currency: str
) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems[field] = problem(N_("Enter the price as a number."))
        return None
    if not low <= value <= high:
        problems[field] = problem(
            N_("The price must be between %(low)s and %(high)s."),
            low=Money(low, currency),
            high=Money(high, currency),
        )
    return value


def clean_profile(
    *,
    display_name: str,
    languages: Iterable[str],
    category_ids: Iterable[int],
    keywords: str | Iterable[str],
    slogan: str,
    qualifications: str,
    experience: str,
    text_language: str,
    price_per_minute: int | None,
    price_per_session: int | None,
    limits: PriceLimits,
    known_category_ids: set[int],
) -> ProfileIn:
    """The profile as it would be stored; raises InvalidProfile naming each bad field.
    `known_category_ids`: the ids of the tree's categories (others are refused)."""
    problems: dict[str, Problem] = {}
    name = one_line(display_name)
    if not name:
        problems["display_name"] = problem(N_("Enter the name customers will see."))
    elif found := _too_long(name, DISPLAY_NAME_MAX):
        problems["display_name"] = found

    spoken = []
    for code in languages:
        code = (code or "").strip().lower()
        if code and code not in spoken:
            spoken.append(code)
    if not spoken:
        problems["languages"] = problem(N_("Choose at least one language you speak."))
    elif unknown := [code for code in spoken if code not in SPOKEN_LANGUAGES]:
        problems["languages"] = problem(
            N_("Unknown language code: %(codes)s."), codes=", ".join(unknown)
        )

    chosen: list[int] = []
    for category_id in category_ids:
        if category_id not in chosen:
            chosen.append(category_id)
    if not chosen:
        problems["categories"] = problem(N_("Choose at least one category."))
    elif len(chosen) > CATEGORIES_MAX:
        problems["categories"] = problem(
            N_("Choose at most %(maximum)s categories (you chose %(count)s)."),
            maximum=CATEGORIES_MAX,
            count=len(chosen),
        )
    elif any(category_id not in known_category_ids for category_id in chosen):
        problems["categories"] = problem(N_("That category does not exist (any more)."))

    keyword_list = split_keywords(keywords)
    if len(keyword_list) > KEYWORDS_MAX:
        problems["keywords"] = problem(
            N_("At most %(maximum)s keywords, please."), maximum=KEYWORDS_MAX
        )
    elif too_long := [keyword for keyword in keyword_list if len(keyword) > KEYWORD_MAX]:
        problems["keywords"] = problem(
            N_("Keywords have at most %(maximum)s characters: “%(keyword)s”."),
            maximum=KEYWORD_MAX,
            keyword=too_long[0][:KEYWORD_MAX] + "…",
        )

    texts = {}
    for field, value, maximum in (
        ("slogan", slogan, SLOGAN_MAX),
        ("qualifications", qualifications, QUALIFICATIONS_MAX),
        ("experience", experience, EXPERIENCE_MAX),
    ):
        texts[field] = paragraphs(value)
        if found := _too_long(texts[field], maximum):
            problems[field] = found
    if not texts["slogan"]:
        problems["slogan"] = problem(N_("Say in a sentence what you help with."))

    written_in = (text_language or "").strip().lower()
    if written_in not in SPOKEN_LANGUAGES:
        problems["text_language"] = problem(N_("Choose the language your texts are written in."))

    per_minute = _price(
        price_per_minute,
        limits.per_minute_min,
        limits.per_minute_max,
        problems,
        "price_per_minute",
        limits.currency,
    )
    per_session = _price(
        price_per_session,
        limits.per_session_min,
        limits.per_session_max,
        problems,
        "price_per_session",
        limits.currency,
    )
    if price_per_minute is None and price_per_session is None:
        problems["price_per_minute"] = problem(
            N_("Set a price per minute, a price per session, or both.")
        )

    if problems:
        raise InvalidProfile(problems)
    return ProfileIn(
        display_name=name,
        languages=tuple(spoken),
        category_ids=tuple(chosen),
        keywords=tuple(keyword_list),
        slogan=texts["slogan"],
        qualifications=texts["qualifications"],
        experience=texts["experience"],
        text_language=written_in,
        price_per_minute=per_minute,
        price_per_session=per_session,
        currency=limits.currency,
    )


_AMOUNT = re.compile(r"^(\d{1,7})(?:[.,](\d{1,3}))?$")


def parse_price(text: str, currency: str) -> int | None:
    """A price as a person types it ("1.50", "1,50", "2", "CHF 12.00") in minor units of
    `currency`; None when empty. ValueError when it is no amount or has more decimals
    than the currency."""
    cleaned = (text or "").replace(currency, "").replace("'", "").replace("\u2019", "").strip()
    if not cleaned:
        return None
    match = _AMOUNT.fullmatch(cleaned.replace(" ", ""))
    digits = babel_numbers.get_currency_precision(currency)
    if match is None or len(match.group(2) or "") > digits:
        raise ValueError(cleaned)
    whole, fraction = match.group(1), (match.group(2) or "").ljust(digits, "0")
    return int(whole) * 10**digits + (int(fraction) if fraction else 0)


def price_text(minor: int | None, currency: str) -> str:
    """A stored price as a form field shows it, for `parse_price` to read back: "1.50"."""
    if minor is None:
        return ""
    digits = babel_numbers.get_currency_precision(currency)
    whole, fraction = divmod(minor, 10**digits)
    return f"{whole}.{fraction:0{digits}d}" if digits else str(whole)
