"""Every portal text of premium (devices, unlock codes, the audit log) exists in German."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

import agent_portal
from agent_portal.i18n import LOCALE_DIR

PORTAL_DIR = Path(agent_portal.__file__).parent
DOMAINS = ("devices", "unlock_codes", "audit", "entitlements", "attempts")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def premium_texts() -> set[str]:
    texts = set()
    for domain in DOMAINS:
        for path in sorted((PORTAL_DIR / domain).rglob("*")):
            method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
            if method is None:
                continue
            with path.open("rb") as source:
                for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                    texts.add(message if isinstance(message, str) else message[0])
    return texts


def test_every_premium_portal_text_has_a_german_translation():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    texts = premium_texts()
    # The extraction found texts in code and in templates.
    assert {"Issue unlock code", "Unlock code #%(code_id)s issued", "Unlink"} <= texts
    missing = sorted(text for text in texts if text not in catalogue or not catalogue[text].string)
    assert missing == [], f"add German translations to portal.po for: {missing}"
    placeholders_lost = [
        text
        for text in texts
        if "%(" in text and sorted(_names(text)) != sorted(_names(catalogue[text].string))
    ]
    assert placeholders_lost == []


def _names(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)", text)
