"""Every text of the appointments (refusals, e-mails, terms, audit entries, the expert's
page) exists in German with the same placeholders."""

from __future__ import annotations

from pathlib import Path

import agent_portal
from tests.support.translations import placeholders_lost, texts_in, without_german

PORTAL = Path(agent_portal.__file__).parent
CATALOGUE = PORTAL / "locale/de/LC_MESSAGES/portal.po"


def test_every_appointment_text_has_a_german_translation_with_its_placeholders():
    texts = texts_in(PORTAL / "appointments")
    assert ("The appointment must start in the future.",) in texts
    assert ("Propose an appointment",) in texts  # the templates too
    assert without_german(texts, CATALOGUE) == []
    assert placeholders_lost(texts, CATALOGUE) == []


def test_the_relay_names_an_expert_conversation_by_its_expert_in_german():
    texts = texts_in(PORTAL / "mail_relay")
    assert ("Your conversation with the expert %(expert)s",) in texts
    assert without_german(texts, CATALOGUE) == []
