"""Every text of the knowledge pages exists in German."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

import agent_portal.knowledge
from agent_portal.i18n import LOCALE_DIR

KNOWLEDGE_DIR = Path(agent_portal.knowledge.__file__).parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def knowledge_texts() -> set[tuple[str, ...]]:
    texts = {("Knowledge base",)}  # the link in the layout's navigation
    for path in sorted(KNOWLEDGE_DIR.rglob("*")):
        method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
        if method is None:
            continue
        with path.open("rb") as source:
            for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                texts.add((message,) if isinstance(message, str) else tuple(message))
    return texts


def test_every_knowledge_page_text_has_a_german_translation():
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    texts = knowledge_texts()
    # The extraction found texts in code, templates and plural forms.
    assert ("Describe the problem in one line.",) in texts and ("New article",) in texts
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
