"""Every sentence of the premium pages exists in German, placeholders intact, and a German
customer gets them."""

from __future__ import annotations

from pathlib import Path

import assistant
from assistant.i18n import LOCALE_DIR
from tests.support.premium_portal import unreachable_url
from tests.support.translations import placeholders_lost, texts_in, without_german

PACKAGE = Path(assistant.__file__).parent
SOURCES = [
    "ui/premium_texts.py",
    "local_api/premium_api.py",
    "local_api/release_view.py",
    "local_api/cleanup_api.py",
    "diagnose_cli.py",
]
ASSISTANT_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po"


def test_every_premium_page_text_has_a_german_translation_with_its_placeholders():
    texts = texts_in(*(PACKAGE / name for name in SOURCES))
    assert len(texts) > 60
    missing = without_german(texts, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    lost = placeholders_lost(texts, ASSISTANT_PO, style="format")
    assert lost == [], f"keep the {{name}} placeholders in the German of: {lost}"


def test_a_german_customer_reads_the_premium_pages_in_german(start_assistant):
    assistant = start_assistant(unreachable_url(), lang="de")
    with assistant.client() as client:
        page = client.get("/").text
        status = client.get("/api/premium").json()
        refused = client.post("/api/cleanup/preview")

    assert "Freischaltcode eingeben" in page and "Aufräumen" in page
    assert status["tier_name"] == "Kostenlos"
    cleanup = next(f for f in status["features"] if f["id"] == "cleanup")
    assert cleanup["title"] == "PC- und Browser-Bereinigung"
    assert refused.json()["error"].startswith("Diese Funktion gehört zu Premium.")
