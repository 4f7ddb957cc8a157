"""Every text of paid sessions exists in German with the same placeholders: the meter
panel, the refusals, the billing rule and the audit entries."""

from __future__ import annotations

from pathlib import Path

import agent_portal.paid_sessions
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

DOMAIN_DIR = Path(agent_portal.paid_sessions.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"


def test_every_text_of_paid_sessions_has_a_german_translation():
    texts = texts_in(DOMAIN_DIR)
    assert ("The maximum is reached: raise it to continue.",) in texts
    assert ("End the session",) in texts
    assert without_german(texts, PORTAL_PO) == []
    assert placeholders_lost(texts, PORTAL_PO) == []
