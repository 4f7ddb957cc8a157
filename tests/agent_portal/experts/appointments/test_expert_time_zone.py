"""The expert's own time zone: kept on the profile (an IANA name zoneinfo knows; the
portal's until chosen), refused with the reason in the page's language and nothing stored
when unknown; the appointment form starts in it and the expert's pages show appointments
in it, the zone named, whatever zone they were proposed in."""

from __future__ import annotations

import re

import pytest

from agent_portal.appointments.models import Appointment
from agent_portal.experts import service as experts
from agent_portal.experts import time_zones
from agent_portal.experts.errors import UnknownTimeZone
from agent_portal.experts.models import ExpertProfile
from isp_common import formatting
from tests.agent_portal.experts.appointments.support import csrf, form

PROFILE = "/portal/expert/profile"
ZONE_FORM = PROFILE + "/time-zone"
APPOINTMENTS = "/portal/expert/appointments"


def zone_of(world, chat) -> str | None:
    (profile,) = world.rows(ExpertProfile, ExpertProfile.staff_id == chat.expert.id)
    return profile.time_zone


def shown_zone(page: str) -> str:
    return re.search(r'id="time_zone" name="time_zone"[^>]*value="([^"]*)"', page).group(1)


def chosen_zone(page: str) -> str:
    return re.search(r"<option selected>([^<]+)</option>", page).group(1)


@pytest.mark.pages
def test_the_expert_keeps_a_time_zone_and_the_appointment_form_starts_in_it(
    world, chat, expert_http, settings
):
    assert zone_of(world, chat) is None
    assert shown_zone(expert_http.get(PROFILE + "?lang=en").text) == settings.time_zone
    assert chosen_zone(expert_http.get(APPOINTMENTS + "?lang=en").text) == settings.time_zone

    saved = expert_http.post(
        ZONE_FORM + "?lang=en",
        data={"csrf_token": csrf(world, expert_http), "time_zone": " America/New_York "},
    )
    assert saved.status_code == 303
    assert zone_of(world, chat) == "America/New_York"
    page = expert_http.get(PROFILE + "?lang=en").text
    assert "Your time zone is saved: America/New_York." in page
    assert shown_zone(page) == "America/New_York"
    assert chosen_zone(expert_http.get(APPOINTMENTS + "?lang=en").text) == "America/New_York"

    # Proposed at 14:00 in Zurich: the expert's pages show it in New York's time, named.
    proposed = expert_http.post(APPOINTMENTS, data=form(world, expert_http, chat))
    assert proposed.status_code == 303
    (stored,) = world.rows(Appointment)
    assert stored.time_zone == "Europe/Zurich"
    listing = expert_http.get(APPOINTMENTS + "?lang=en").text
    english = formatting.moment(stored.starts_at, locale="en", zone="America/New_York")
    assert f"{english} (America/New_York)" in listing
    assert "(Europe/Zurich)" not in listing
    desk = expert_http.get("/portal/expert?lang=de").text
    german = formatting.moment(stored.starts_at, locale="de", zone="America/New_York")
    assert f"{german} (America/New_York)" in desk


@pytest.mark.pages
@pytest.mark.parametrize(
    "typed", ["Mars/Olympus_Mons", "", "../../etc/passwd", "Europe/Berlin" + "x" * 80]
)
def test_an_unknown_zone_is_refused_in_both_languages_and_nothing_is_stored(
    world, chat, expert_http, typed
):
    expert_http.post(
        ZONE_FORM, data={"csrf_token": csrf(world, expert_http), "time_zone": "Europe/Zurich"}
    )
    for language, expected in (
        ("en", "is not known. Choose one from the list, e.g. Europe/Berlin or Europe/Zurich."),
        ("de", "ist nicht bekannt. Wählen Sie eine aus der Liste, z. B. Europe/Berlin"),
    ):
        refused = expert_http.post(
            f"{ZONE_FORM}?lang={language}",
            data={"csrf_token": csrf(world, expert_http), "time_zone": typed},
        )
        assert refused.status_code == 400
        assert expected in refused.text
        assert 'aria-invalid="true"' in refused.text  # the field is marked
    assert zone_of(world, chat) == "Europe/Zurich"  # the last good one stays


def test_only_names_zoneinfo_knows_are_kept(world):
    assert time_zones.checked(" Europe/Zurich ") == "Europe/Zurich"
    for bad in ("CEST", "Europe", "europe/zurich", "Etc/../Europe/Berlin", "+01:00"):
        with pytest.raises(UnknownTimeZone) as refused:
            time_zones.checked(bad)
        assert refused.value.zone == bad
    assert "Europe/Zurich" in experts.zone_names()
