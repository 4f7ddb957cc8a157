"""Every text of billing's pages, refusals and bill lines exists in German, with the same
placeholders."""

from __future__ import annotations

from pathlib import Path

import agent_portal.billing
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

BILLING_DIR = Path(agent_portal.billing.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"
MENU = {("Payments",)}  # the menu's link (agent_portal.web.navigation)


def test_every_billing_text_has_a_german_translation():
    texts = texts_in(BILLING_DIR) | MENU
    assert ("Tip for expert help: %(topic)s",) in texts and ("Refund",) in texts
    missing = without_german(texts, PORTAL_PO)
    assert missing == [], f"add German translations to portal.po for: {missing}"


def test_the_german_texts_keep_their_placeholders():
    assert placeholders_lost(texts_in(BILLING_DIR), PORTAL_PO) == []
