"""Every sentence premium shows a customer exists in German."""

from __future__ import annotations

import pytest

from assistant import formats
from assistant.i18n import LOCALE_DIR, translator
from assistant.premium import texts
from assistant.premium.errors import CodeAlreadyUsed, FeatureLocked
from assistant.premium.gate import LockReason
from isp_common.errors import TokenExpired, WrongDevice
from tests.support.translations import placeholders_lost, without_german

ASSISTANT_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po"


@pytest.fixture
def german():
    token = translator.language.set("de")
    yield
    translator.language.reset(token)


def test_every_premium_sentence_has_a_german_translation_with_its_placeholders():
    sentences = {(text,) for text in texts.source_texts()}
    assert ("Cache of {browser}",) in sentences
    missing = without_german(sentences, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    lost = placeholders_lost(sentences, ASSISTANT_PO, style="format")
    assert lost == [], f"keep the {{name}} placeholders in the German of: {lost}"


def test_a_german_customer_reads_refusals_in_german(german):
    assert texts.error_text(TokenExpired()).startswith("Ihr Premium-Zugang ist abgelaufen.")
    assert "anderen Computer" in texts.error_text(WrongDevice())
    assert texts.error_text(CodeAlreadyUsed()).startswith("Dieser Code wurde bereits verwendet.")
    locked = FeatureLocked("technician_visit", LockReason.TIER_TOO_LOW)
    assert texts.error_text(locked) == "Diese Funktion gehört zu Premium Plus."
    from_server = texts.text_for_code("bad_signature")
    assert from_server.startswith("Die Premium-Freischaltung ist nicht echt")


def test_feature_titles_and_sizes_in_german(german):
    assert texts.feature_title("cleanup") == "PC- und Browser-Bereinigung"
    assert texts.feature_title("wifi_check") == "WLAN-Prüfung"
    assert formats.size(1_534_000) == "1,5 MB"
    assert texts.tier_name("premium_plus") == "Premium Plus"


def test_english_stays_the_source():
    token = translator.language.set("en")
    try:
        assert formats.size(1_534_000) == "1.5 MB"
        assert texts.error_text(TokenExpired()) == TokenExpired.message
        assert texts.text_for_code("no_such_code").startswith("Something went wrong.")
    finally:
        translator.language.reset(token)
