"""Every text a customer can read from the diagnostics exists in German, placeholders intact."""

from __future__ import annotations

from pathlib import Path

import assistant.diagnostics
from assistant.diagnostics.texts import NP_, render
from assistant.i18n import LOCALE_DIR, translator
from tests.support.translations import placeholders_lost, texts_in, without_german

PACKAGE = Path(assistant.diagnostics.__file__).parent
ASSISTANT_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po"


def test_every_diagnostics_text_has_a_german_translation_with_the_same_placeholders():
    texts = texts_in(PACKAGE)  # N_("...") and NP_("one", "many")
    assert len(texts) > 100
    assert any(len(text) == 2 for text in texts)
    missing = without_german(texts, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    lost = placeholders_lost(texts, ASSISTANT_PO, style="format")
    assert lost == [], f"keep the {{name}} placeholders in the German of: {lost}"


def test_texts_with_a_number_choose_singular_or_plural_in_both_languages():
    message = NP_(
        "{count} update is waiting to be installed.", "{count} updates are waiting to be installed."
    )
    assert render(message, {"count": 1}) == "1 update is waiting to be installed."
    assert render(message, {"count": 3}) == "3 updates are waiting to be installed."
    token = translator.language.set("de")
    try:
        assert render(message, {"count": 1}) == "1 Update wartet auf die Installation."
        assert render(message, {"count": 1234}) == "1.234 Updates warten auf die Installation."
    finally:
        translator.language.reset(token)


def test_values_in_texts_are_written_the_languages_way_and_ports_as_they_are():
    token = translator.language.set("de")
    try:
        text = render(
            "{host} on port {port}: {free_bytes} free of {count}, {percent}, {ok}",
            {"host": "mail.example.de", "port": 35627, "free_bytes": 30_400, "count": 26_486,
             "percent": 42.25, "ok": True},
        )  # fmt: skip
        assert text == "mail.example.de on port 35627: 30,4 kB free of 26.486, 42,2, Ja"
    finally:
        translator.language.reset(token)
