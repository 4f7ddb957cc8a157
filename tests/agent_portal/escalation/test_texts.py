"""Every text of an offer of an expert exists in German with the same placeholders: the
portal's pages, refusals, audit entries and the chat's system messages, and the
assistant's card, answers and system messages."""

from __future__ import annotations

from pathlib import Path

import agent_portal.escalation
import assistant
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

ESCALATION_DIR = Path(agent_portal.escalation.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"
CHAT_DIR = ESCALATION_DIR.parent / "chat"
ASSISTANT_DIR = Path(assistant.__file__).parent
ASSISTANT_PO = ASSISTANT_DIR / "locale" / "de" / "LC_MESSAGES" / "assistant.po"
ASSISTANT_FILES = (
    ASSISTANT_DIR / "escalation" / "texts.py",
    ASSISTANT_DIR / "ui" / "live_texts.py",
)


def portal_texts():
    return texts_in(ESCALATION_DIR, CHAT_DIR / "pages.py", CHAT_DIR / "page_data.py") | texts_in(
        CHAT_DIR / "templates"
    )


def test_every_portal_text_of_offers_has_a_german_translation():
    texts = portal_texts()
    assert ("Offer an expert",) in texts
    assert ("The customer declined the expert %(expert)s.",) in texts
    assert without_german(texts, PORTAL_PO) == []
    assert placeholders_lost(texts, PORTAL_PO) == []


def test_every_assistant_text_of_offers_has_a_german_translation():
    texts = texts_in(*ASSISTANT_FILES)
    assert ("Accept",) in texts and ("Your agent offers you the expert %(expert)s.",) in texts
    assert without_german(texts, ASSISTANT_PO) == []
    assert placeholders_lost(texts, ASSISTANT_PO) == []
