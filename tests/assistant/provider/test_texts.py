"""Every sentence the page shows about the provider profile exists in German, placeholders
intact, and a German customer reads it in German."""

from __future__ import annotations

from pathlib import Path

import assistant
from assistant.i18n import LOCALE_DIR, translator
from assistant.local_api.provider_api import _source_text, _summary
from assistant.provider.overlay import ValueSource
from assistant.provider.service import ProviderProfiles
from isp_common.assistant_build import BuildConfig
from tests.support.translations import placeholders_lost, texts_in, without_german

PACKAGE = Path(assistant.__file__).parent
ASSISTANT_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po"


def test_every_provider_text_has_a_german_translation_with_its_placeholders():
    texts = texts_in(PACKAGE / "local_api" / "provider_api.py", PACKAGE / "ui" / "texts.py")
    assert ("Your provider's hotline:",) in texts
    missing = without_german(texts, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    lost = placeholders_lost(texts, ASSISTANT_PO, style="format")
    assert lost == [], f"keep the {{name}} placeholders in the German of: {lost}"


def test_a_german_customer_reads_where_the_values_came_from_in_german(tmp_path):
    profiles = ProviderProfiles(tmp_path, BuildConfig())
    token = translator.language.set("de")
    try:
        assert _summary(profiles, None).startswith("Es ist kein Server Ihres Anbieters")
        assert _source_text(ValueSource.PROVIDER) == "aus den Einstellungen Ihres Anbieters"
    finally:
        translator.language.reset(token)
