"""A pre-chat between two browsers: the customer finds an expert by category on the real
assistant's page (headless, signed in), reads the profile and starts a free pre-chat; the
expert sees it in the portal's inbox, answers in the chat view, and the customer reads the
answer in live help. Both sides in English and German, with screenshots of each."""

from __future__ import annotations

import pytest

from agent_portal.realtime.models import LiveConnection
from isp_common.formatting import money
from tests.agent_portal.expert_desk.support import approved_expert, category_id
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser


def test_the_customer_finds_an_expert_and_the_expert_answers_the_pre_chat(
    portal, world, customer_assistant, customer_page, staff_page
):
    wifi = category_id(world, "Wi-Fi & home network")
    eva = approved_expert(world, "eva.expert", "Eva Experte", categories=[wifi], photo=True)
    approved_expert(world, "otto.expert", "Otto Fachmann", categories=[wifi])  # not online
    customer = world.customer()

    desk = staff_page(eva)
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    desk.get_by_test_id("expert-status").filter(has_text="Online").wait_for()
    desk.get_by_text("No customer has written to you yet.").wait_for()
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == eva.id))
    audit(desk, "expert-desk-empty-en")

    erika = customer_page(customer_assistant(customer)).page
    tab = erika.get_by_role("button", name="Experts")
    tab.wait_for()  # signed in: the tab is there
    tab.click()
    erika.get_by_role("button", name="Wi-Fi & home network").click()
    erika.get_by_role("heading", name="Experts for “Wi-Fi & home network”").wait_for()
    results = erika.locator("#experts-results > li")
    results.first.wait_for()
    # Online experts first, each with the desk's word on it.
    assert results.locator("h3").all_inner_texts() == ["Eva Experte", "Otto Fachmann"]
    assert results.locator(".badge").all_inner_texts() == ["Online now", "Not online"]
    # Prices as the one formatting helper writes them, in the customer's language.
    assert f"{money(150, 'CHF', locale='en')} per minute" in results.first.inner_text()
    audit(erika, "experts-list-en")

    erika.get_by_role("button", name="View profile of Eva Experte").click()
    profile = erika.locator("#experts-profile")
    profile.get_by_role("heading", name="Eva Experte").wait_for()
    assert erika.locator("#expert-status").inner_text() == "Online now"
    assert erika.locator("#expert-languages").inner_text() == "German, English"
    assert erika.locator("#expert-written-in").inner_text() == "Written in German"
    assert erika.locator("#expert-texts").get_attribute("lang") == "de"
    erika.locator("#expert-photo:not([hidden])").wait_for()
    # The photo came through the local API from the server, and shows.
    erika.wait_for_function(
        "() => { const img = document.getElementById('expert-photo');"
        " return img.complete && img.naturalWidth > 0; }"
    )
    audit(erika, "expert-profile-en")

    erika.get_by_label("Your question to Eva Experte").fill("Can you set up my NAS backup?")
    erika.get_by_role("button", name="Start a free pre-chat").click()
    erika.wait_for_selector("#view-help:not([hidden])")
    erika.locator("#help-status").filter(has_text="Free pre-chat with Eva Experte.").wait_for()

    inbox = desk.get_by_test_id("prechats")
    inbox.get_by_test_id("waiting").wait_for()
    audit(desk, "expert-desk-prechat-en")
    inbox.get_by_role("link", name="Erika Mustermann").click()
    desk.wait_for_url("**/portal/chats/*")
    desk.locator("#messages").get_by_text("Can you set up my NAS backup?").wait_for()
    desk.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    assert desk.get_by_test_id("conversation-kind").inner_text() == "Pre-chat with an expert"
    assert desk.get_by_test_id("transfer-form").count() == 0  # a pre-chat is not handed over
    desk.fill("#message-text", "Gladly. Which NAS do you have?")
    desk.keyboard.press("Enter")
    erika.locator("#help-messages li[data-seq]").filter(
        has_text="Gladly. Which NAS do you have?"
    ).wait_for()
    audit(desk, "expert-chat-en")
    audit(erika, "prechat-live-help-en")

    # German, both sides.
    desk.goto(f"{desk.url.split('?')[0]}?lang=de")
    desk.locator("#messages").get_by_text("Gladly. Which NAS do you have?").wait_for()
    assert desk.get_by_test_id("conversation-kind").inner_text() == "Vorgespräch mit einem Experten"
    audit(desk, "expert-chat-de")
    desk.goto(f"{portal.url}/portal/expert?lang=de")
    desk.get_by_role("heading", name="Ihre Erreichbarkeit").wait_for()
    audit(desk, "expert-desk-de")

    choose_language(erika, "de")
    erika.get_by_role("button", name="Experten").click()
    erika.get_by_role("button", name="WLAN & Heimnetz").click()
    erika.get_by_role("button", name="Profil von Eva Experte ansehen").click()
    erika.get_by_text("Kostenloses Vorgespräch beginnen").wait_for()
    prices = erika.locator("#expert-prices").inner_text().replace("\u00a0", " ")
    assert prices == "1,50 CHF pro Minute"
    assert erika.locator("#expert-languages").inner_text() == "Deutsch, Englisch"
    audit(erika, "expert-profile-de")
