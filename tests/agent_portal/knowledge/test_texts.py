"""Every text of the knowledge pages exists in German."""

from __future__ import annotations

from pathlib import Path

import agent_portal.knowledge
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import texts_in, without_german

KNOWLEDGE_DIR = Path(agent_portal.knowledge.__file__).parent


def test_every_knowledge_page_text_has_a_german_translation():
    texts = texts_in(KNOWLEDGE_DIR) | {("Knowledge base",)}  # the layout's navigation link
    # The extraction found texts in code, templates and plural forms.
    assert ("Describe the problem in one line.",) in texts and ("New article",) in texts
    assert any(len(text) == 2 for text in texts)
    missing = without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po")
    assert missing == [], f"add German translations to portal.po for: {missing}"
