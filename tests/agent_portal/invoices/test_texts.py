"""Every text of the invoices and payouts (documents, e-mails, pages, refusals, the menu's
link) exists in German with its placeholders."""

from __future__ import annotations

from pathlib import Path

import agent_portal
from tests.support.translations import placeholders_lost, texts_in, without_german

PORTAL = Path(agent_portal.__file__).parent
PORTAL_PO = PORTAL / "locale/de/LC_MESSAGES/portal.po"


def test_every_invoice_and_payout_text_has_its_german():
    texts = texts_in(PORTAL / "invoices", PORTAL / "payouts", PORTAL / "web" / "navigation.py")
    assert ("Correcting invoice (credit)",) in texts
    assert ("Payout report %(period)s",) in texts
    assert without_german(texts, PORTAL_PO) == []
    assert placeholders_lost(texts, PORTAL_PO) == []
