"""Every portal text of premium (devices, unlock codes, the audit log) exists in German."""

from __future__ import annotations

import re
from pathlib import Path

import agent_portal
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import german_catalogue, texts_in, without_german

PORTAL_DIR = Path(agent_portal.__file__).parent
DOMAINS = ("devices", "unlock_codes", "audit", "entitlements", "attempts")
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"


def test_every_premium_portal_text_has_a_german_translation():
    texts = texts_in(*(PORTAL_DIR / domain for domain in DOMAINS))
    # The extraction found texts in code and in templates.
    assert {("Issue unlock code",), ("Unlock code #%(code_id)s issued",), ("Unlink",)} <= texts
    missing = without_german(texts, PORTAL_PO)
    assert missing == [], f"add German translations to portal.po for: {missing}"
    catalogue = german_catalogue(PORTAL_PO)
    placeholders_lost = [
        text
        for (text, *_plural) in texts
        if "%(" in text and sorted(_names(text)) != sorted(_names(catalogue[text].string))
    ]
    assert placeholders_lost == []


def _names(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)", text)
