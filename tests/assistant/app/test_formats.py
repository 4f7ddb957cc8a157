"""The assistant writes sizes, counts and times the way the portal does, with the same
helper: a file in the chat, a cleanup's freed space and a finding's free disk space read
the same as on the agent's page, in the reader's language. What the page's script shows
comes written already, so the script formats no number itself."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from agent_portal.i18n import translator as portal_translator
from agent_portal.web.templating import environment
from assistant.diagnostics.texts import render
from assistant.escalation import texts as live_texts
from assistant.escalation.desk_view import message_view
from assistant.i18n import translator
from assistant.local_api import cleanup_api
from assistant.premium.cleanup.models import CleanupReport, RootKind, RootReport, RootStatus
from isp_common.live_wire import AttachmentInfo, MessageInfo, SenderKind

SIZES = [41, 30_400, 1_534_000, 2_000_000, 16_000_000_000]


@contextmanager
def reading(language: str):
    """The assistant's customer and the portal's agent, both reading `language`."""
    tokens = translator.language.set(language), portal_translator.language.set(language)
    try:
        yield
    finally:
        translator.language.reset(tokens[0])
        portal_translator.language.reset(tokens[1])


def chat_message(size: int) -> MessageInfo:
    return MessageInfo(
        seq=1,
        sender=SenderKind.agent,
        attachment=AttachmentInfo(id=1, filename="a.png", content_type="x/y", size_bytes=size),
        sent_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC),
    )


def cleanup_report(freed: int, files: int) -> CleanupReport:
    root = RootReport(
        root_id="temp",
        kind=next(iter(RootKind)),
        browser=None,
        location="~/tmp",
        status=RootStatus.CLEANED,
        deleted_count=files,
        freed_bytes=freed,
        skipped_count=files,
    )
    moment = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    return CleanupReport(
        preview_id="p",
        started_at=moment,
        finished_at=moment,
        roots=(root,),
        skipped=(),
        skipped_count=files,
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_size_the_assistant_shows_reads_as_on_the_portal(language):
    portal_size = environment.filters["file_size"]
    with reading(language):
        for size in SIZES:
            on_the_portal = portal_size(size)
            chat = message_view(chat_message(size))["attachment"]["size_text"]
            freed = cleanup_api.report_view(cleanup_report(size, 1))["freed_text"]
            finding = render("{free_bytes}", {"free_bytes": size})
            assert chat == freed == finding == on_the_portal


def test_a_german_customer_reads_german_sizes_counts_and_times():
    with reading("de"):
        assert live_texts.attachment_too_large(2_049_000, 2_000_000) == (
            "Die Datei ist zu groß (2 MB). Dateien bis 2 MB können gesendet werden."
        )
        view = message_view(chat_message(41))
        assert view["attachment"]["size_text"] == "41 Byte"
        assert view["sent_text"].endswith(":00") and "AM" not in view["sent_text"]
        report = cleanup_api.report_view(cleanup_report(30_400, 26_486))
        assert report["freed_text"] == "30,4 kB"
        assert report["skipped_count_text"] == "26.486"
        assert report["roots"][0]["deleted_count_text"] == "26.486"
    with reading("en"):
        report = cleanup_api.report_view(cleanup_report(30_400, 26_486))
        assert (report["freed_text"], report["skipped_count_text"]) == ("30.4 kB", "26,486")
