"""Every text of the help articles beside a finding exists in German, reaches the page, and
is used by it."""

from __future__ import annotations

from pathlib import Path

import assistant
from assistant.i18n import LOCALE_DIR, translator
from assistant.ui.knowledge_texts import knowledge_ui_texts
from assistant.ui.texts import ui_texts
from tests.support.translations import texts_in, without_german

PACKAGE = Path(assistant.__file__).parent
SOURCES = ["knowledge.py", "local_api/knowledge_api.py", "ui/knowledge_texts.py"]


def test_every_knowledge_text_has_a_german_translation():
    texts = texts_in(*(PACKAGE / name for name in SOURCES))
    assert ("Articles that may help",) in texts
    missing = without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po")
    assert missing == [], f"add German translations to assistant.po for: {missing}"


def test_the_page_gets_the_texts_in_the_current_language_and_uses_each():
    token = translator.language.set("de")
    try:
        german = ui_texts()
    finally:
        translator.language.reset(token)
    assert german["knowledge_title"] == "Artikel, die helfen können"
    assert german["knowledge_unavailable"] == (
        "Die Hilfe-Artikel konnten gerade nicht geladen werden."
    )
    script = (PACKAGE / "ui" / "static" / "knowledge.js").read_text(encoding="utf-8")
    unused = [key for key in knowledge_ui_texts() if f"T.{key}" not in script]
    assert unused == []
