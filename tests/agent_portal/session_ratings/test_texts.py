"""Every text of the ratings' refusals and the expert's page exists in German, with its
placeholders; a refusal reads in the language asked for, its numbers written for it."""

from __future__ import annotations

from pathlib import Path

import agent_portal.session_ratings
from agent_portal.i18n import LOCALE_DIR
from agent_portal.session_ratings import errors
from tests.support.translations import placeholders_lost, texts_in, without_german

FOLDER = Path(agent_portal.session_ratings.__file__).parent
PORTAL_PO = LOCALE_DIR / "de" / "LC_MESSAGES" / "portal.po"


def test_every_text_of_the_ratings_has_a_german_translation():
    texts = texts_in(FOLDER)
    assert ("Choose between %(low)s and %(high)s stars.",) in texts
    assert ("Rate the customer",) in texts, "the template's texts are seen too"
    assert without_german(texts, PORTAL_PO) == []
    assert placeholders_lost(texts, PORTAL_PO) == []


def test_a_refusal_reads_in_both_languages_with_its_numbers_written_for_each():
    too_long = errors.TextTooLong(limit=2000)
    assert too_long.message == "The text may be at most 2,000 characters long."
    assert too_long.in_language("de") == "Der Text darf höchstens 2.000 Zeichen lang sein."
    assert errors.AlreadyRated().in_language("de") == "Sie haben diese Sitzung bereits bewertet."
