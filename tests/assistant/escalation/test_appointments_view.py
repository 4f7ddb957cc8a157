"""What the Experts tab shows of an appointment: the start in this computer's own zone,
however the expert proposed it, the duration and the terms as the one formatting helper
writes them, in German and English; every text of the appointments exists in German with
its placeholders."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import assistant
from assistant.i18n import translator
from assistant.local_api.appointments_api import view
from isp_common import formatting
from isp_common.appointments_wire import AppointmentStatus, AppointmentTerms, AppointmentView
from tests.support.translations import placeholders_lost, texts_in, without_german

ASSISTANT = Path(assistant.__file__).parent
ASSISTANT_PO = ASSISTANT / "locale/de/LC_MESSAGES/assistant.po"
START = datetime(2030, 1, 15, 13, 0, tzinfo=UTC)  # 14:00 in Zurich


def proposal(**fields) -> AppointmentView:
    values = {
        "id": 7,
        "conversation_id": 3,
        "expert_name": "Mira Keller",
        "starts_at": START,
        "duration_minutes": 45,
        "time_zone": "Europe/Zurich",
        "terms": AppointmentTerms.fixed,
        "price": 6_000,
        "currency": "CHF",
        "status": AppointmentStatus.proposed,
        **fields,
    }
    return AppointmentView(**values)


@pytest.fixture
def computer_in(monkeypatch):
    """This computer's time zone, as the operating system says it."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def shown(appointment: AppointmentView, language: str) -> dict:
    token = translator.language.set(language)
    try:
        return view(appointment, language)
    finally:
        translator.language.reset(token)


def test_the_start_shows_in_this_computer_s_zone_not_the_expert_s(computer_in):
    computer_in("America/New_York")
    english = shown(proposal(), "en")
    assert english["when"] == "Jan 15, 2030, 8:00\u202fAM"  # 13:00 UTC in New York
    computer_in("Europe/Berlin")
    german = shown(proposal(), "de")
    assert german["when"] == "15.01.2030, 14:00"


def test_terms_and_status_in_both_languages():
    german = shown(proposal(), "de")
    assert german["terms"] == f"Festpreis {formatting.money(6_000, 'CHF', locale='de')}"
    assert german["status_text"] == "Vorgeschlagen: wartet auf Ihre Antwort"
    assert german["duration"] == formatting.duration(45 * 60, locale="de")
    assert german["title"] == "Termin mit Mira Keller"
    per_minute = proposal(terms=AppointmentTerms.per_minute, price=None, price_per_minute=150)
    assert shown(per_minute, "en")["terms"] == (
        f"{formatting.money(150, 'CHF', locale='en')} per minute"
    )
    free = proposal(terms=AppointmentTerms.free, price=None, status=AppointmentStatus.accepted)
    assert (shown(free, "de")["terms"], shown(free, "de")["status_text"]) == (
        "Kostenlos",
        "Angenommen",
    )


def test_every_appointment_text_of_the_assistant_has_its_german():
    texts = texts_in(
        ASSISTANT / "local_api" / "appointments_api.py",
        ASSISTANT / "escalation" / "appointments.py",
        ASSISTANT / "escalation" / "appointment_view.py",
        ASSISTANT / "ui" / "experts_texts.py",
    )
    assert ("Proposed: awaiting your answer",) in texts
    assert without_german(texts, ASSISTANT_PO) == []
    assert placeholders_lost(texts, ASSISTANT_PO, style="format") == []


def test_the_computer_s_zone_is_named(computer_in):
    computer_in("Europe/Zurich")
    assert shown(proposal(), "de")["zone"] == "Europe/Zurich"
    computer_in("Etc/UTC")
    assert shown(proposal(), "en")["zone"] == "UTC"  # plain, not the database's spelling
