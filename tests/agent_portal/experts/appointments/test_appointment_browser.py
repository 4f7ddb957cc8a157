"""An appointment between two browsers: the expert's proposal shows in the real
assistant (headless, signed in) on the Experts tab as a card with its time in this
computer's zone, its duration and terms; the customer accepts it with the keyboard; the
expert's start page in the portal shows it accepted. Both sides in English and German,
with screenshots of each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from agent_portal.appointments import service
from agent_portal.appointments.models import Appointment
from agent_portal.database import utcnow
from isp_common import formatting
from tests.agent_portal.experts.appointments.support import RULES, prechat
from tests.support.browser import audit
from tests.support.live import wait_until

pytestmark = pytest.mark.browser
ZURICH = ZoneInfo("Europe/Zurich")


def test_the_customer_accepts_the_proposal_and_the_expert_sees_it_accepted(
    portal, world, customer_assistant, customer_page, staff_page
):
    chat = prechat(world)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(
        hour=13, minute=0, second=0, microsecond=0
    )
    with world.session() as db_session:
        appointment_id = service.propose(
            db_session=db_session,
            conversation_id=chat.conversation_id,
            staff_id=chat.expert.id,
            local_start=start.astimezone(ZURICH).replace(tzinfo=None),
            time_zone="Europe/Zurich",
            duration_minutes=45,
            terms="fixed",
            price=6_000,
            now=utcnow(),
            rules=RULES,
        ).id
        db_session.commit()

    desk = staff_page(chat.expert)
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    listed = desk.get_by_test_id("appointments").locator(
        f"[data-appointment-id='{appointment_id}']"
    )
    listed.get_by_text("Awaiting the customer's answer").wait_for()
    assert "(Europe/Zurich)" in listed.inner_text()
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

    erika.select_option("#language", "de")
    erika.wait_for_load_state()
    erika.get_by_role("button", name="Experten", exact=True).click()
    german = erika.locator(f"#appointments-list [data-appointment-id='{appointment_id}']")
    german.get_by_text("Angenommen").wait_for()
    terms = german.locator(".appointment-terms").inner_text().replace("\u00a0", " ")
    assert terms == "Festpreis 60,00 CHF"
    german.get_by_role("button", name="Termin absagen").wait_for()
    audit(erika, "assistant-appointment-accepted-de")
