"""Translations from gettext catalogues (Babel), German and English.

Source texts are English; each package keeps `locale/<lang>/LC_MESSAGES/<domain>.po`. The
`.po` files are compiled in memory when first used, so no build step or generated files
are needed.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Marks a text for translation where it is written, without translating it: it is
    translated where it is shown, in the language of that moment."""
    return message


@cache
def translations(locale_dir: Path, domain: str, language: str) -> gettext.NullTranslations:
    po_path = Path(locale_dir) / language / "LC_MESSAGES" / f"{domain}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def pick_language(*candidates: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The first supported language among the candidates (e.g. 'de-CH' -> 'de')."""
    for candidate in candidates:
        if not candidate:
            continue
        code = candidate.strip().lower().replace("_", "-").split("-")[0]
        if code in LANGUAGES:
            return code
    return default


def language_from_accept_header(header: str | None) -> str | None:
    """The best supported language of an HTTP Accept-Language header, or None."""
    if not header:
        return None
    weighted = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, tag))
    for _quality, tag in sorted(weighted, key=lambda item: -item[0]):
        language = pick_language(tag, default="")
        if language:
            return language
    return None


class Translator:
    """gettext functions bound to the language of the current request or task; without a
    `locale_dir`, the English source texts in every language."""

    def __init__(self, locale_dir: Path | None, domain: str) -> None:
        self.locale_dir = None if locale_dir is None else Path(locale_dir)
        self.domain = domain
        self.language: ContextVar[str] = ContextVar(f"{domain}_language", default=DEFAULT_LANGUAGE)

    def current(self) -> gettext.NullTranslations:
        if self.locale_dir is None:
            return gettext.NullTranslations()
        return translations(self.locale_dir, self.domain, self.language.get())

    def gettext(self, message: str) -> str:
        return self.current().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.current().ngettext(singular, plural, n)
