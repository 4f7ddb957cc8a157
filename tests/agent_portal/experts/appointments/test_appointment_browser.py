"""An appointment between two browsers: the expert's proposal shows in the real
assistant (headless, signed in) on the Experts tab as a card with its time in this
computer's zone, its duration and terms; the customer accepts it with the keyboard; the
expert's start page in the portal shows it accepted. Both sides in English and German,
with screenshots of each."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from agent_portal.appointments import notices
from agent_portal.appointments.models import Appointment
from isp_common import formatting
from tests.agent_portal.experts.appointments.support import prechat, propose_fixed
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until
from tests.support.relay import on_server

pytestmark = pytest.mark.browser
ZURICH = ZoneInfo("Europe/Zurich")


def test_the_customer_accepts_the_proposal_and_the_expert_sees_it_accepted(
    portal, world, settings, customer_assistant, customer_page, staff_page
):
    chat = prechat(world)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    with world.session() as db_session:
        appointment_id = propose_fixed(db_session, chat, start).id
        db_session.commit()

    desk = staff_page(chat.expert)
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    listed = desk.get_by_test_id("appointments").locator(
        f"[data-appointment-id='{appointment_id}']"
    )
    listed.get_by_text("Awaiting the customer's answer").wait_for()
    # In the expert's own zone (the portal's until they choose one), named.
    assert f"({settings.time_zone})" in listed.inner_text()
    audit(desk, "expert-appointment-proposed-en")

    erika = customer_page(customer_assistant(chat.customer)).page
    tab = erika.get_by_role("button", name="Experts")
    tab.wait_for()
    tab.click()
    card = erika.locator(f"#appointments-list [data-appointment-id='{appointment_id}']")
    card.wait_for()
    when = formatting.moment(start, locale="en", zone=None)  # this computer's zone
    assert card.locator("time").inner_text() == when
    assert card.locator(".appointment-terms").inner_text() == (
        f"Fixed price {formatting.money(6_000, 'CHF', locale='en')}"
    )
    audit(erika, "assistant-appointment-proposed-en")
    accept = card.get_by_role("button", name=f"Accept the appointment with Mira Keller on {when}")
    accept.focus()
    erika.keyboard.press("Enter")  # a real button: the keyboard works
    erika.locator(
        f"#appointments-list [data-appointment-id='{appointment_id}'][data-status='accepted']"
    ).wait_for()
    wait_until(
        lambda: world.rows(Appointment)[0].status == "accepted", what="the appointment accepted"
    )
    audit(erika, "assistant-appointment-accepted-en")

    desk.goto(f"{portal.url}/portal/expert?lang=en")
    desk.get_by_test_id("appointments").get_by_text("Accepted").wait_for()
    audit(desk, "expert-appointment-accepted-en")

    # German, both sides.
    desk.goto(f"{portal.url}/portal/expert?lang=de")
    desk.get_by_test_id("appointments").get_by_text("Angenommen").wait_for()
    audit(desk, "expert-appointment-accepted-de")
    desk.goto(f"{portal.url}/portal/expert/appointments?lang=de")
    desk.get_by_role("heading", name="Einen Termin vorschlagen").wait_for()
    audit(desk, "expert-appointments-page-de")

    choose_language(erika, "de")
    erika.get_by_role("button", name="Experten", exact=True).click()
    german = erika.locator(f"#appointments-list [data-appointment-id='{appointment_id}']")
    german.get_by_text("Angenommen").wait_for()
    terms = german.locator(".appointment-terms").inner_text().replace("\u00a0", " ")
    assert terms == "Festpreis 60,00 CHF"
    german.get_by_role("button", name="Termin absagen").wait_for()
    audit(erika, "assistant-appointment-accepted-de")


def test_a_notice_shows_when_the_page_s_scripts_load_after_its_first_view(
    portal, portal_app, world, customer_assistant, customer_page
):
    """On a slow computer the page's live stream may bring its first view while a later
    script (appointments.js) still loads: that view must still reach it, or a notice the
    server sends once (the reminder) is never shown."""
    chat = prechat(world)
    erika = customer_page(customer_assistant(chat.customer)).page
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=13, minute=0, second=0)
    with world.session() as db_session:
        appointment = propose_fixed(db_session, chat, start)
        found = notices.targets(db_session, appointment)
        db_session.commit()
    on_server(portal_app, notices.publish, found=found)  # as the proposing route does
    notice = erika.locator("#appointment-notices-list li[data-kind='proposed']")
    notice.wait_for()

    # Reloaded with appointments.js held back until the stream could have spoken.
    held = []
    erika.route("**/static/appointments.js", lambda route: held.append(route))
    erika.reload(wait_until="commit")
    with contextlib.suppress(PlaywrightTimeout):  # the stream waits for every script
        erika.wait_for_selector("#help-connection[data-state='connected']", timeout=3_000)
    wait_until(lambda: held, what="the script asked for")
    held[0].continue_()
    erika.unroute("**/static/appointments.js")
    notice.wait_for()
    assert "Mira Keller" in notice.inner_text()
    audit(erika, "notice-after-a-slow-script-en")
