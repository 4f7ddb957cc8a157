"""Every text of the live channel exists in German: the portal's (chat, inbox, tickets and
their e-mail, remote diagnostics, the consent record) and the assistant's live help; and the
German the customer and the agent read is what the catalogues say."""

from __future__ import annotations

from pathlib import Path

import pytest

import agent_portal
import assistant
from assistant.escalation import texts
from assistant.i18n import translator
from assistant.ui.live_texts import live_ui_texts
from isp_common.live_wire import ConversationInfo, ConversationStatus, Topic
from tests.support.translations import texts_in, without_german

PORTAL = Path(agent_portal.__file__).parent
ASSISTANT = Path(assistant.__file__).parent
PORTAL_SOURCES = [
    PORTAL / "chat",
    PORTAL / "remote_diagnostics",
    PORTAL / "consent",
    PORTAL / "realtime",
    PORTAL / "mail",
    PORTAL / "web" / "templates" / "base.html",
]


@pytest.mark.parametrize(
    ("catalogue", "sources", "sample"),
    [
        (PORTAL / "locale/de/LC_MESSAGES/portal.po", PORTAL_SOURCES, "Request diagnostics"),
        (
            ASSISTANT / "locale/de/LC_MESSAGES/assistant.po",
            [
                ASSISTANT / "escalation",
                ASSISTANT / "ui" / "live_texts.py",
                ASSISTANT / "local_api" / "live_api.py",
            ],
            "You are number %(position)d in the queue.",
        ),
    ],
    ids=["portal", "assistant"],
)
def test_every_live_text_has_a_german_translation(catalogue, sources, sample):
    found = texts_in(*sources)
    assert (sample,) in found  # the extraction sees code and templates
    missing = without_german(found, catalogue)
    assert missing == [], f"add German translations to {catalogue.name} for: {missing}"


def test_the_customer_reads_the_queue_and_errors_in_german():
    token = translator.language.set("de")
    try:
        waiting = ConversationInfo(
            id=1,
            topic=Topic.wifi,
            status=ConversationStatus.queued,
            queue_position=3,
            created_at="2026-01-05T10:00:00Z",
        )
        assert texts.status_text(waiting) == "Sie sind Nummer 3 in der Warteschlange."
        assert texts.attachment_too_large(3_200_000, 2_000_000) == (
            "Die Datei ist zu groß (3,2 MB). Dateien bis 2 MB können gesendet werden."
        )
        assert texts.error_text("unknown_device").startswith("Dieser Computer ist nicht")
    finally:
        translator.language.reset(token)


def test_the_live_help_tab_and_the_consent_dialog_read_in_german():
    token = translator.language.set("de")
    try:
        page = live_ui_texts()
        assert page["nav_help"] == "Live-Hilfe"
        assert page["consent_title"] == "Ihr Anbieter bittet um einen Bericht"
        assert page["consent_allow"] == "Erlauben und senden"
        assert texts.connection_text("disconnected").startswith("Gerade besteht keine Verbindung")
        assert texts.report_outcome_text("sent", "Anna Berger") == (
            "Ihr Bericht wurde an Anna Berger gesendet."
        )
    finally:
        translator.language.reset(token)


def test_the_consent_dialog_and_what_is_shared_read_for_every_kind_in_both_languages():
    parts = ("title", "intro", "items", "note", "until", "allow", "shared")

    def worded() -> dict[str, list[str]]:
        who = texts.asker_text("Anna Berger", "agent")
        return {
            kind: [texts.consent_text(kind, part, who=who) for part in parts]
            for kind in texts.CONSENT_KINDS
        }

    token = translator.language.set("de")
    try:
        german = worded()
        assert german["report"][1] == (
            "Anna Berger von der Hotline Ihres Anbieters bittet um einen Bericht über diesen "
            "Computer, um Ihnen zu helfen."
        )
        assert german["report"][-1] == "Ein Bericht über diesen Computer"
        assert texts.asker_text("Jonas Weber", "expert") == (
            "Jonas Weber aus dem Expertenteam Ihres Anbieters"
        )
        assert texts.report_outcome_text("revoked", "Anna Berger") == (
            "Sie haben den Bericht für Anna Berger gestoppt. Es wurde nichts gesendet."
        )
    finally:
        translator.language.reset(token)
    english = worded()
    assert set(texts.CONSENT_KINDS) == {"report", "screen_view", "control", "call"}
    assert english["report"][1] == (
        "Anna Berger from your provider's hotline asks for a report on this computer, to help you."
    )
    assert english["screen_view"][0] == "Your provider asks to see your screen"
    for kind in texts.CONSENT_KINDS:
        assert all(german[kind]) and all(english[kind])
        assert not set(german[kind]) & set(english[kind]), kind  # every part is translated
