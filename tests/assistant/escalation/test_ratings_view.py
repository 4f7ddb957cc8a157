"""What the Experts tab's rating card shows of a paid session still to rate: the expert and
topic, when it ended and what it cost (written by the one formatting helper), until when
it can be rated, in German and English; the customer's sentence for each refusal the
server may give; every text of the rating card exists in German with its placeholders."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import assistant
from assistant.i18n import translator
from assistant.local_api.ratings_api import refusal_texts, view
from isp_common import formatting
from isp_common.ratings_wire import RateableSession, RatingRefusal
from tests.support.translations import placeholders_lost, texts_in, without_german

ASSISTANT = Path(assistant.__file__).parent
ASSISTANT_PO = ASSISTANT / "locale/de/LC_MESSAGES/assistant.po"
ENDED = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)


def session(**fields) -> RateableSession:
    values = {
        "session_id": 12,
        "expert_id": 3,
        "expert_name": "Mira Keller",
        "category_id": 7,
        "category_name": "Drucker",
        "ended_at": ENDED,
        "rate_until": datetime(2030, 1, 29, 13, 0, tzinfo=UTC),
        "charged": 4_550,
        "currency": "CHF",
        **fields,
    }
    return RateableSession(**values)


def in_language(language: str, call, *args):
    token = translator.language.set(language)
    try:
        return call(*args)
    finally:
        translator.language.reset(token)


def test_the_card_names_expert_topic_end_and_cost_in_both_languages():
    german = in_language("de", view, session(), "de")
    assert german["title"] == "Wie war Ihre Sitzung mit Mira Keller zum Thema Drucker?"
    when = formatting.moment(ENDED, locale="de", zone=None)
    cost = formatting.money(4_550, "CHF", locale="de")
    assert german["facts"] == f"Beendet {when}, Kosten {cost}"
    assert german["text_max_text"] == "2.000"
    english = in_language("en", view, session(category_name=""), "en")
    assert english["title"] == "How was your session with Mira Keller?"
    assert english["until"].startswith("You can rate until ")


def test_every_refusal_of_the_server_has_the_customers_sentence():
    for code in (
        RatingRefusal.stars,
        RatingRefusal.text_too_long,
        RatingRefusal.not_found,
        RatingRefusal.not_rateable,
        RatingRefusal.closed,
        RatingRefusal.already_rated,
    ):
        assert in_language("de", refusal_texts, "de")[code] != refusal_texts("en")[code]
    assert in_language("de", refusal_texts, "de")[RatingRefusal.text_too_long] == (
        "Ihr Text darf höchstens 2.000 Zeichen lang sein."
    )


def test_every_text_of_the_rating_card_has_a_german_translation():
    texts = texts_in(
        ASSISTANT / "local_api" / "ratings_api.py", ASSISTANT / "ui" / "experts_texts.py"
    )
    assert ("Send rating",) in texts
    assert without_german(texts, ASSISTANT_PO) == []
    assert placeholders_lost(texts, ASSISTANT_PO, style="format") == []
