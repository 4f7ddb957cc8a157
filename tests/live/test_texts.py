"""Every text of the live channel exists in German: the portal's (chat, inbox, tickets and
their e-mail, remote diagnostics) and the assistant's live help; and the German the
customer and the agent read is what the catalogues say."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po

import agent_portal
import assistant
from assistant.escalation import texts
from assistant.i18n import translator
from isp_common.live_wire import ConversationInfo, ConversationStatus, Topic

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PORTAL = Path(agent_portal.__file__).parent
ASSISTANT = Path(assistant.__file__).parent
PORTAL_SOURCES = [
    PORTAL / "chat",
    PORTAL / "remote_diagnostics",
    PORTAL / "realtime",
    PORTAL / "mail",
    PORTAL / "web" / "templates" / "base.html",
]


def texts_in(paths) -> set[str]:
    found = set()
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
            if method is None:
                continue
            with path.open("rb") as source:
                for _line, message, _comments, _context in extract(method, source, KEYWORDS):
                    found.add(message if isinstance(message, str) else message[0])
    return found


def untranslated(catalogue_path: Path, found: set[str]) -> list[str]:
    with catalogue_path.open("rb") as po_file:
        catalogue = read_po(po_file, locale="de")
    return sorted(
        text for text in found if not (catalogue.get(text) and catalogue.get(text).string)
    )


@pytest.mark.parametrize(
    ("catalogue", "sources", "sample"),
    [
        (PORTAL / "locale/de/LC_MESSAGES/portal.po", PORTAL_SOURCES, "Request diagnostics"),
        (
            ASSISTANT / "locale/de/LC_MESSAGES/assistant.po",
            [ASSISTANT / "escalation"],
            "You are number %(position)d in the queue.",
        ),
    ],
    ids=["portal", "assistant"],
)
def test_every_live_text_has_a_german_translation(catalogue, sources, sample):
    found = texts_in(sources)
    assert sample in found  # the extraction sees code and templates
    assert untranslated(catalogue, found) == [], f"add German translations to {catalogue.name}"


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
        assert texts.attachment_too_large(3 * 1024 * 1024 + 200_000, 2 * 1024 * 1024) == (
            "Die Datei ist zu groß (3,2 MB). Dateien bis 2 MB können gesendet werden."
        )
        assert texts.error_text("unknown_device").startswith("Dieser Computer ist nicht")
    finally:
        translator.language.reset(token)
