"""Every text of the customer pages exists in German."""

from __future__ import annotations

from pathlib import Path

import agent_portal.customers
from agent_portal.i18n import LOCALE_DIR
from tests.support.translations import texts_in, without_german

CUSTOMERS_DIR = Path(agent_portal.customers.__file__).parent


def test_every_customer_page_text_has_a_german_translation():
    texts = texts_in(CUSTOMERS_DIR)
    # The extraction found texts in code, templates and plural forms.
    assert ("No subscription",) in texts and ("Find a customer",) in texts
    assert any(len(text) == 2 for text in texts)
    missing = without_german(texts, LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po")
    assert missing == [], f"add German translations to portal.po for: {missing}"
