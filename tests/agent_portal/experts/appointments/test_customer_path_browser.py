"""The whole way from a customer's question to an agreed appointment, with real parts on
both sides: the real assistant (headless, signed in) in one browser, the portal in
another. The customer searches experts by words, opens a profile and starts a free
pre-chat; the expert answers in the portal's chat, keeps Zurich as their time zone and
proposes an appointment on the appointments page (sent with the keyboard); the proposal
reaches the assistant over the live channel as a notice and as a card inside the
conversation, where the customer accepts it with the keyboard; both sides then see it
accepted, each in their own zone with the zone named; the reminder shows as a notice on
another tab, and its "Show" opens the conversation.
English first, then German on both sides, with screenshots of each step."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from agent_portal.appointments.models import Appointment
from agent_portal.database import utcnow
from agent_portal.realtime.models import LiveConnection
from assistant.escalation.appointment_view import computer_zone
from isp_common import formatting
from tests.agent_portal.expert_desk.support import approved_expert, category_id
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser
ZURICH = ZoneInfo("Europe/Zurich")


# What the page shows of live help: whether its stream has spoken (live.js writes the
# connection's state) and what the notices box holds.
PAGE_STATE = """() => ({
  connection: document.getElementById("help-connection").dataset.state || null,
  notices_hidden: document.getElementById("appointment-notices").hidden,
  notices: document.querySelectorAll("#appointment-notices-list li").length,
  url: location.href,
})"""


def test_search_prechat_proposal_acceptance_and_reminder_end_to_end(
    portal, world, customer_assistant, customer_page, staff_page
):
    wifi = category_id(world, "Wi-Fi & home network")
    eva = approved_expert(world, "eva.expert", "Eva Experte", categories=[wifi], photo=True)
    customer = world.customer()

    # The expert is online in the portal and keeps Zurich as their time zone.
    desk = staff_page(eva)
    desk.goto(f"{portal.url}/portal/expert/profile?lang=en")
    desk.get_by_label("Time zone").fill("Europe/Zurich")
    desk.get_by_role("button", name="Save time zone").click()
    desk.get_by_text("Your time zone is saved: Europe/Zurich.").wait_for()
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    desk.get_by_test_id("expert-status").filter(has_text="Online").wait_for()
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == eva.id))

    # The customer searches by words, opens the profile and starts a free pre-chat.
    computer = customer_assistant(customer)
    erika = customer_page(computer).page
    erika.get_by_role("button", name="Experts").click()
    erika.get_by_label("Search for experts").fill("NAS Backup")
    erika.get_by_role("button", name="Search", exact=True).click()
    results = erika.locator("#experts-results > li")
    results.first.wait_for()
    assert results.locator("h3").all_inner_texts() == ["Eva Experte"]
    erika.get_by_role("button", name="View profile of Eva Experte").click()
    erika.locator("#experts-profile").get_by_role("heading", name="Eva Experte").wait_for()
    erika.get_by_label("Your question to Eva Experte").fill("Can you set up my NAS backup?")
    erika.get_by_role("button", name="Start a free pre-chat").click()
    erika.locator("#help-status").filter(has_text="Free pre-chat with Eva Experte.").wait_for()

    # The expert answers in the portal.
    desk.get_by_test_id("prechats").get_by_role("link", name="Erika Mustermann").click()
    desk.wait_for_url("**/portal/chats/*")
    desk.locator("#messages").get_by_text("Can you set up my NAS backup?").wait_for()
    desk.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    desk.fill("#message-text", "Gladly. Shall we do it together in a few minutes?")
    desk.keyboard.press("Enter")
    erika.locator("#help-messages li[data-seq]").filter(has_text="Gladly.").wait_for()

    # ... and proposes an appointment: the form starts in the expert's zone. Twelve minutes
    # ahead, so the reminder (15 minutes before) comes once it is accepted.
    start = (utcnow() + timedelta(minutes=12)).replace(second=0, microsecond=0)
    wall = start.astimezone(ZURICH)
    desk.goto(f"{portal.url}/portal/expert/appointments?lang=en")
    assert desk.locator("#time_zone").input_value() == "Europe/Zurich"
    desk.fill("#day", wall.date().isoformat())
    desk.fill("#start_time", wall.strftime("%H:%M"))
    desk.fill("#duration_minutes", "45")
    desk.get_by_label("Fixed price", exact=True).check()
    desk.fill("#price", "60")
    audit(desk, "expert-proposes-en")
    desk.locator("#price").press("Enter")  # the keyboard sends the form
    listed = desk.get_by_test_id("appointment-list").locator("li").first
    listed.get_by_text("Awaiting the customer's answer").wait_for()
    expert_when = formatting.moment(start, locale="en", zone="Europe/Zurich")
    assert f"{expert_when} (Europe/Zurich)" in listed.inner_text()
    (appointment,) = world.rows(Appointment)

    # The customer, still in the conversation, reads the notice and the card there.
    zone = computer_zone()
    when = formatting.moment(start, locale="en", zone=None)
    notice = erika.locator("#appointment-notices-list li[data-kind='proposed']")
    notice.wait_for()
    assert notice.locator("p").inner_text() == (
        f"Eva Experte proposes an appointment: {when} ({zone}). Accept or decline it."
    )
    card = erika.locator(f"#help-appointments-list [data-appointment-id='{appointment.id}']")
    card.wait_for()
    assert card.locator("time").inner_text() == when
    assert card.locator(".appointment-zone").inner_text() == f"({zone})"
    assert card.locator(".appointment-terms").inner_text() == (
        f"Fixed price {formatting.money(6_000, 'CHF', locale='en')}"
    )
    audit(erika, "conversation-proposal-en")
    accept = card.get_by_role("button", name=f"Accept the appointment with Eva Experte on {when}")
    accept.focus()
    erika.keyboard.press("Enter")  # a real button: the keyboard works
    accepted = erika.locator(
        f"#help-appointments-list [data-appointment-id='{appointment.id}'][data-status='accepted']"
    )
    accepted.wait_for()
    wait_until(lambda: world.rows(Appointment)[0].status == "accepted", what="accepted")
    # The focus stays on the card: its one button now cancels.
    assert erika.evaluate("document.activeElement.dataset.action") == "cancel"
    erika.locator("#appointment-notices-list li[data-kind='proposed']").wait_for(state="detached")
    audit(erika, "conversation-accepted-en")

    # The expert sees it accepted, in Zurich's time.
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    mine = desk.get_by_test_id("appointments").locator(f"[data-appointment-id='{appointment.id}']")
    mine.get_by_text("Accepted").wait_for()
    assert f"{expert_when} (Europe/Zurich)" in mine.inner_text()
    audit(desk, "expert-desk-accepted-en")

    # The reminder shows on any tab: here the overview.
    erika.get_by_role("button", name="Overview").click()
    reminder = erika.locator("#appointment-notices-list li[data-kind='reminder']")
    reminder.wait_for(timeout=30_000)
    assert reminder.locator("p").inner_text() == (
        f"Reminder: your appointment with Eva Experte begins soon, {when} ({zone})."
    )
    audit(erika, "overview-reminder-en")
    erika.get_by_role("button", name="Experts").click()
    experts_card = erika.locator(f"#appointments-list [data-appointment-id='{appointment.id}']")
    experts_card.get_by_text("Accepted").wait_for()
    assert erika.locator("#appointment-notices").is_visible()  # the notice is on this tab too
    audit(erika, "experts-tab-accepted-en")

    # German, both sides.
    desk.goto(f"{portal.url}/portal/expert?lang=de")
    desk.get_by_test_id("appointments").get_by_text("Angenommen").wait_for()
    expert_wann = formatting.moment(start, locale="de", zone="Europe/Zurich")
    assert f"{expert_wann} (Europe/Zurich)" in desk.get_by_test_id("appointments").inner_text()
    audit(desk, "expert-desk-accepted-de")
    desk.goto(f"{portal.url}/portal/expert/profile?lang=de")
    desk.get_by_role("heading", name="Ihre Zeitzone").wait_for()
    audit(desk, "expert-profile-zone-de")

    choose_language(erika, "de")
    wann = formatting.moment(start, locale="de", zone=None)
    german_reminder = erika.locator("#appointment-notices-list li[data-kind='reminder']")
    # The new language checks the computer again, which on a busy machine slows the page.
    try:
        german_reminder.wait_for(timeout=30_000)
    except PlaywrightTimeout as error:  # seen in full runs only: say what the assistant holds
        with computer.client() as client:
            live = client.get("/api/live").json()
        page = erika.evaluate(PAGE_STATE)
        raise AssertionError(
            f"no reminder on the German page; the assistant's live help is {live['state']} "
            f"with the notices {live['notices']}; the page: {page}"
        ) from error
    assert german_reminder.locator("p").inner_text() == (
        f"Erinnerung: Ihr Termin mit Eva Experte beginnt bald, {wann} ({zone})."
    )
    german_reminder.get_by_role("button", name="Anzeigen").wait_for()
    audit(erika, "reminder-de")
    # "Show" opens the conversation, where the card is, and the notice goes.
    german_reminder.get_by_role("button", name="Anzeigen").click()
    erika.wait_for_selector("#view-help:not([hidden])")
    german_card = erika.locator(
        f"#help-appointments-list [data-appointment-id='{appointment.id}'][data-status='accepted']"
    )
    german_card.get_by_text("Angenommen").wait_for()
    assert german_card.locator("time").inner_text() == wann
    terms = german_card.locator(".appointment-terms").inner_text().replace("\u00a0", " ")
    assert terms == "Festpreis 60,00 CHF"
    german_card.get_by_role("button", name="Termin absagen").wait_for()
    erika.locator("#appointment-notices").wait_for(state="hidden")
    audit(erika, "conversation-accepted-de")
