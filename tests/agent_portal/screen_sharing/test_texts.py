"""Every text of screen sharing (its pages, the viewer's words, its refusals) exists in
German."""

from __future__ import annotations

from pathlib import Path

import agent_portal.screen_sharing
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import texts_in, without_german

SCREEN_DIR = Path(agent_portal.screen_sharing.__file__).parent


def test_every_screen_sharing_text_has_a_german_translation():
    texts = texts_in(SCREEN_DIR)
    assert {
        ("Ask to see the screen",),
        ("Sharing is not available on the customer's desktop.",),
    } <= texts
    missing = without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po")
    assert missing == [], f"add German translations to portal.po for: {missing}"
