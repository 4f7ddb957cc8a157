"""Every text of the staff and auth pages exists in German."""

from __future__ import annotations

from pathlib import Path

import agent_portal.auth
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import texts_in, without_german

AUTH_DIR = Path(agent_portal.auth.__file__).parent


def test_every_auth_text_has_a_german_translation():
    texts = texts_in(AUTH_DIR)
    # The extraction found texts in code and in templates.
    assert {("Wrong user name or password.",), ("Key begins with",)} <= texts
    missing = without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po")
    assert missing == [], f"add German translations to portal.po for: {missing}"
