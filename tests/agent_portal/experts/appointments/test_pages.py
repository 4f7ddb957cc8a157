"""The expert's appointments page over HTTP: a proposal in the expert's own zone is stored
and listed; a start in the past, a duration or fixed price out of range, a price that is
no number, are refused on the page with the reason in the page's language, and nothing is
stored or mailed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx
import pytest

from agent_portal.appointments.models import Appointment
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.mail.models import OutboundEmail
from isp_common import formatting
from tests.agent_portal.experts.appointments.support import form
from tests.support.portal_data import TLS_CHECK

PAGE = "/portal/expert/appointments"


def test_a_proposal_is_stored_in_the_expert_s_zone_and_listed(world, chat, expert_http, settings):
    answer = expert_http.post(PAGE, data=form(world, expert_http, chat))
    assert answer.status_code == 303
    [stored] = world.rows(Appointment)
    assert stored.price == 4_550
    local = stored.starts_at.astimezone(ZoneInfo("Europe/Zurich"))
    assert (local.hour, local.minute) == (14, 0)
    page = expert_http.get(PAGE + "?lang=en").text
    # Listed in the expert's own zone (the portal's until they choose one), named.
    zone = settings.time_zone
    assert f"{formatting.moment(stored.starts_at, locale='en', zone=zone)} ({zone})" in page
    assert "Awaiting the customer" in page


@pytest.mark.parametrize(
    ("changes", "english", "german"),
    [
        (
            {"day": "2020-01-15"},
            "The appointment must start in the future.",
            "Der Termin muss in der Zukunft beginnen.",
        ),
        (
            {"duration_minutes": "600"},
            "The duration must be between 15 and 240 minutes.",
            "Die Dauer muss zwischen 15 und 240 Minuten liegen.",
        ),
        (
            {"price": "1"},
            "A fixed price must be between",
            "Ein Festpreis muss zwischen",
        ),
        (
            {"price": "viel"},
            "Enter the fixed price as a number",
            "Geben Sie den Festpreis als Zahl ein",
        ),
        ({"day": ""}, "Enter the date and the time", "Geben Sie Datum und Uhrzeit"),
    ],
)
def test_bad_proposals_are_refused_on_the_page_in_both_languages_and_store_nothing(
    world, chat, expert_http, changes, english, german
):
    for language, expected in (("en", english), ("de", german)):
        answer = expert_http.post(
            f"{PAGE}?lang={language}", data=form(world, expert_http, chat, **changes)
        )
        assert answer.status_code == 400
        assert expected in answer.text.replace("&#39;", "'")
    assert world.rows(Appointment) == []
    assert [m for m in world.rows(OutboundEmail) if "Termin" in m.subject] == []


def test_an_expert_cannot_propose_in_another_s_conversation(world, chat, portal):
    other = world.staff("tom", role="expert", name="Tom Berger")
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, follow_redirects=False
    ) as client:
        client.cookies.set(SESSION_COOKIE, other.token)
        answer = client.post(PAGE + "?lang=en", data=form(world, client, chat))
    assert answer.status_code == 400
    assert "Only the expert of this conversation" in answer.text
    assert world.rows(Appointment) == []


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
