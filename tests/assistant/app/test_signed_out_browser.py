"""What a customer who has not signed in reads on the assistant's Live help tab, in Debian's
Chromium against the real `isp-assistant --headless`: each sentence once, in English and in
German, and the way to sign in."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.support.browser import audit, choose_language

pytestmark = pytest.mark.browser


def sentences(page, selector: str) -> list[str]:
    """The sentences a sighted reader sees in `selector`, one per item."""
    text = page.inner_text(selector)
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+|\n+", text) if part.strip()]


def said_twice(page, selector: str) -> list[str]:
    return [text for text, count in Counter(sentences(page, selector)).items() if count > 1]


def open_live_help(page) -> None:
    page.click(".tab[data-view='help']")
    page.wait_for_selector("#view-help:not([hidden])")
    page.wait_for_selector("#help-unlinked:not([hidden])")


def test_the_signed_out_live_help_tab_says_each_sentence_once(page, shared_assistant):
    page.goto(shared_assistant.url)
    open_live_help(page)
    assert said_twice(page, "#view-help") == []
    help_text = page.inner_text("#view-help")
    assert "Live help works once this computer is linked to your customer account." in help_text
    assert page.get_by_role("link", name="Sign in").is_visible()
    audit(page, "live-help-signed-out-en")

    choose_language(page, "de")
    open_live_help(page)
    assert said_twice(page, "#view-help") == []
    assert "mit Ihrem Kundenkonto verbunden" in page.inner_text("#view-help")
    audit(page, "live-help-signed-out-de")
    choose_language(page, "en")  # the shared assistant stays English for others


def test_the_premium_tab_says_which_quick_links_are_free(page, start_assistant):
    for language, free_note in (
        ("en", "Quick links to network, Wi-Fi and e-mail settings are free."),
        ("de", "Schnellzugriffe auf Netzwerk-, WLAN- und E-Mail-Einstellungen sind kostenlos."),
    ):
        assistant = start_assistant("--headless", "--lang", language)
        page.goto(assistant.url)
        page.click(".tab[data-view='premium']")
        entry = page.locator("[data-feature='quick_links']")
        entry.wait_for()
        assert entry.get_attribute("data-allowed") == "false"
        assert free_note in entry.inner_text()
        # The free ones are no locked premium feature: they are not listed as one.
        assert page.locator("[data-feature='connection_quick_links']").count() == 0
        audit(page, f"premium-quick-links-{language}")
        assistant.stop()
