"""Finds the translatable texts in a package's code and templates, and which of them have no
German translation in a catalogue, so each domain's test only names its folders."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po

# NP_("one", "many") is how assistant.diagnostics marks a text with a plural form.
KEYWORDS = {"_": None, "N_": None, "NP_": (1, 2), "gettext": None, "ngettext": (1, 2)}


def texts_in(*paths: Path) -> set[tuple[str, ...]]:
    """Each text in the given folders and files as a tuple: (singular,) or (singular, plural)."""
    texts = set()
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
            if method is None:
                continue
            with path.open("rb") as source:
                for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                    texts.add((message,) if isinstance(message, str) else tuple(message))
    return texts


def german_catalogue(po_path: Path) -> Catalog:
    with po_path.open("rb") as po_file:
        return read_po(po_file, locale="de")


def without_german(texts: set[tuple[str, ...]], po_path: Path) -> list[str]:
    catalogue = german_catalogue(po_path)
    missing = []
    for text in texts:
        entry = catalogue.get(text[0])
        translations = entry.string if entry else None
        if isinstance(translations, tuple):
            complete = len(translations) == len(text) and all(translations)
        else:
            complete = bool(translations) and len(text) == 1
        if not complete:
            missing.append(text[0])
    return sorted(missing)


def placeholders_lost(
    texts: set[tuple[str, ...]], po_path: Path, style: Literal["percent", "format"] = "percent"
) -> list[str]:
    """The texts whose German lacks or adds a placeholder: each German form is compared with the
    English singular (form 0) or plural (the others). The style is the placeholders' kind: the
    portal's %(name)s ("percent") or the assistant's str.format {name} ("format").
    Untranslated texts are left to without_german."""
    placeholders = _format_fields if style == "format" else _placeholders
    catalogue = german_catalogue(po_path)
    lost = []
    for text in texts:
        entry = catalogue.get(text[0])
        if entry is None or not entry.string:
            continue
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for index, form in enumerate(forms):
            english = text[min(index, len(text) - 1)]
            if form and placeholders(form) != placeholders(english):
                lost.append(text[0])
                break
    return sorted(lost)


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)", text))


def _format_fields(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name)
