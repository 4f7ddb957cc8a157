"""Every text of the assistant's dashboard and saved reports exists in German, placeholders
intact: the page's texts, the traffic light's words and the report's labels."""

from __future__ import annotations

from pathlib import Path

import assistant
from assistant.i18n import LOCALE_DIR
from tests.support.translations import placeholders_lost, texts_in, without_german

PACKAGE = Path(assistant.__file__).parent
SOURCES = ["ui/texts.py", "ui/templates", "verdict.py", "export.py", "local_api/presenters.py"]
ASSISTANT_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "assistant.po"


def test_every_dashboard_and_report_text_has_a_german_translation():
    texts = texts_in(*(PACKAGE / name for name in SOURCES))
    assert ("Problems found",) in texts  # the extraction sees the traffic light's words
    missing = without_german(texts, ASSISTANT_PO)
    assert missing == [], f"add German translations to assistant.po for: {missing}"
    lost = placeholders_lost(texts, ASSISTANT_PO, style="format")
    assert lost == [], f"keep the {{name}} placeholders in the German of: {lost}"
