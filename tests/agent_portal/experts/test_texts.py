"""Every text of the experts' pages, refusals and audit entries exists in German, with the
same placeholders."""

from __future__ import annotations

from pathlib import Path

import agent_portal.experts
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

EXPERTS_DIR = Path(agent_portal.experts.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"
# The menu's links to the experts' pages (agent_portal.web.navigation).
MENU = {("My profile",), ("Expert profiles",), ("Expert categories",)}


def test_every_experts_text_has_a_german_translation():
    texts = texts_in(EXPERTS_DIR) | MENU
    assert ("Send for approval",) in texts and ("Expert profile of %(expert)s approved",) in texts
    missing = without_german(texts, PORTAL_PO)
    assert missing == [], f"add German translations to portal.po for: {missing}"


def test_the_german_texts_keep_their_placeholders():
    assert placeholders_lost(texts_in(EXPERTS_DIR), PORTAL_PO) == []
