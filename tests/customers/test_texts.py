"""Every text of the customer pages exists in German."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

import agent_portal.customers
from agent_portal.i18n import LOCALE_DIR

CUSTOMERS_DIR = Path(agent_portal.customers.__file__).parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def customer_texts() -> set[tuple[str, ...]]:
    texts = set()
    for path in sorted(CUSTOMERS_DIR.rglob("*")):
        method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
        if method is None:
            continue
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                texts.add((message,) if isinstance(message, str) else tuple(message))
    return texts


def test_every_customer_page_text_has_a_german_translation():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    texts = customer_texts()
    # The extraction found texts in code, templates and plural forms.
    assert ("No subscription",) in texts and ("Find a customer",) in texts
    assert any(len(text) == 2 for text in texts)
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
    assert missing == [], f"add German translations to portal.po for: {sorted(missing)}"
