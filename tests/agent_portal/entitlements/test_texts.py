"""Every portal text of premium (devices, unlock codes, the audit log) exists in German."""

from __future__ import annotations

from pathlib import Path

import agent_portal
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

PORTAL_DIR = Path(agent_portal.__file__).parent
DOMAINS = ("devices", "unlock_codes", "audit", "entitlements", "attempts")
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"


def test_every_premium_portal_text_has_a_german_translation():
    texts = texts_in(*(PORTAL_DIR / domain for domain in DOMAINS))
    # The extraction found texts in code and in templates.
    assert {("Issue unlock code",), ("Unlock code #%(code_id)s issued",), ("Unlink",)} <= texts
    missing = without_german(texts, PORTAL_PO)
    assert missing == [], f"add German translations to portal.po for: {missing}"
    lost = placeholders_lost(texts, PORTAL_PO)
    assert lost == [], f"keep the %(name)s placeholders in the German of: {lost}"
