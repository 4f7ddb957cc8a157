"""Every text of the mail relay (the copies' words, its audit entry) and of the staff
member's e-mail field exists in German."""

from __future__ import annotations

from pathlib import Path

import agent_portal
from tests.support.translations import texts_in, without_german

PORTAL = Path(agent_portal.__file__).parent


def test_every_relay_text_has_a_german_translation():
    texts = texts_in(
        PORTAL / "mail_relay",
        PORTAL / "auth" / "accounts.py",
        PORTAL / "auth" / "templates" / "staff_member.html",
    )
    assert ("%(sender)s wrote:",) in texts
    assert without_german(texts, PORTAL / "locale/de/LC_MESSAGES/portal.po") == []
