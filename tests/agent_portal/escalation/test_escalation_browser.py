"""Escalation between three browsers: a hotline agent in the portal offers the customer an
expert in a live chat; the customer, on the real assistant's page (headless, signed in),
sees the expert's card and declines the first offer, then accepts the second with the
keyboard; the agent sees each answer live; the expert, in the portal, gets the chat with
its whole history, the customer's devices and the agent's note. English and German, with
screenshots of each side."""

from __future__ import annotations

import pytest

from agent_portal.escalation.models import ExpertOffer
from agent_portal.realtime.models import LiveConnection
from isp_common.formatting import money
from tests.agent_portal.expert_desk.support import approved_expert, category_id
from tests.support.browser import audit, choose_language
from tests.support.live import wait_until

pytestmark = pytest.mark.browser

NOTE = "Router reset done; nightly NAS backups still fail. Customer wants a backup plan."


def offer(agent, portal_url, conversation_url, note=""):
    """The agent finds Eva by a keyword and offers her with `note`."""
    agent.goto(conversation_url)
    agent.get_by_test_id("offer-box").get_by_role("link").click()
    agent.wait_for_url("**/offer*")
    agent.locator("#expert-query").fill("NAS")
    agent.locator("#expert-query").press("Enter")
    agent.wait_for_url("**/offer?q=NAS*")
    agent.locator("input[name=expert_id]").first.check()
    agent.locator("#offer-note").fill(note)


def test_an_agent_escalates_a_hotline_chat_to_an_expert(
    portal, world, customer_assistant, customer_page, staff_page
):
    wifi = category_id(world, "Wi-Fi & home network")
    eva = approved_expert(
        world, "eva.expert", "Eva Experte", categories=[wifi], photo=True, price_per_session=4900
    )
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    customer = world.customer()

    desk = staff_page(eva)
    desk.goto(f"{portal.url}/portal/expert?lang=en")
    desk.get_by_test_id("expert-status").filter(has_text="Online").wait_for()
    agent = staff_page(anna)
    agent.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == eva.id))
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))

    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Wi-Fi", "My NAS backups fail every night.")
    erika.page.locator("#help-status").filter(
        has_text="You are chatting with Anna Berger."
    ).wait_for()
    agent.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann").click()
    agent.wait_for_url("**/portal/chats/*")
    conversation_url = agent.url.split("?")[0]
    agent.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    agent.fill("#message-text", "A colleague who knows NAS backups well can help you further.")
    agent.keyboard.press("Enter")
    erika.wait_for("A colleague who knows NAS backups well")

    # First offer, in English: the card, then the customer declines.
    offer(agent, portal.url, f"{conversation_url}?lang=en")
    choice = agent.get_by_test_id("expert-choice").first
    assert "Eva Experte" in choice.inner_text() and "Online" in choice.inner_text()
    assert f"{money(150, 'CHF', locale='en')} per minute" in choice.inner_text()
    assert f"{money(4900, 'CHF', locale='en')} per session" in choice.inner_text()
    audit(agent, "escalation-offer-page-en")
    agent.get_by_role("button", name="Offer this expert").click()
    agent.wait_for_url("**/portal/chats/*?done=offered")
    agent.locator("#messages").get_by_text(
        "The customer was offered the expert Eva Experte."
    ).wait_for()

    card = erika.page.locator("#help-offer")
    card.wait_for()
    card.get_by_role("heading", name="Your agent suggests an expert: Eva Experte").wait_for()
    erika.page.locator("#offer-prices").filter(has_text="per session").wait_for()
    prices = erika.page.locator("#offer-prices").inner_text()
    per_minute, per_session = money(150, "CHF", locale="en"), money(4900, "CHF", locale="en")
    assert prices == f"{per_minute} per minute · {per_session} per session"
    assert erika.page.locator("#offer-languages").inner_text() == "German, English"
    assert "Wi-Fi & home network" in erika.page.locator("#offer-categories").inner_text()
    assert erika.page.locator("#offer-status").inner_text() == "Online now"
    erika.page.locator("#offer-photo:not([hidden])").wait_for()
    # The photo is shown once it has loaded (a slow machine may still be decoding it).
    photo = erika.page.locator("#offer-photo")
    wait_until(lambda: photo.evaluate("img => img.complete && img.naturalWidth > 0"))
    audit(erika.page, "escalation-offer-card-en")
    card.get_by_role("button", name="Decline").click()
    card.wait_for(state="hidden")
    erika.wait_for("You declined the expert Eva Experte. Your agent stays with you.")
    agent.locator("#messages").get_by_text(
        "The customer declined the expert Eva Experte."
    ).wait_for()
    # Live, without a reload: no offer waits any more, another may be made.
    agent.locator("#offer-withdraw").wait_for(state="hidden")
    agent.locator("#offer-link").get_by_role("link", name="Offer an expert").wait_for()
    assert world.rows(ExpertOffer)[0].status == "declined"

    # Second offer, in German, with the note: accepted with the keyboard.
    offer(agent, portal.url, f"{conversation_url}?lang=de", note=NOTE)
    audit(agent, "escalation-offer-page-de")
    agent.get_by_role("button", name="Diesen Experten anbieten").click()
    agent.wait_for_url("**/portal/chats/*?done=offered")
    agent.get_by_role("button", name="Angebot zurückziehen").wait_for()
    audit(agent, "escalation-offer-waiting-de")

    choose_language(erika.page, "de")
    erika.page.click(".tab[data-view='help']")
    card.get_by_role(
        "heading", name="Ihr Ansprechpartner schlägt einen Experten vor: Eva Experte"
    ).wait_for()
    erika.page.locator("#offer-prices").filter(has_text="pro Sitzung").wait_for()
    assert erika.page.locator("#offer-prices").inner_text().replace("\u00a0", " ") == (
        "1,50 CHF pro Minute · 49,00 CHF pro Sitzung"
    )
    audit(erika.page, "escalation-offer-card-de")
    accept = card.get_by_role("button", name="Annehmen")
    accept.focus()
    erika.page.keyboard.press("Enter")
    card.wait_for(state="hidden")
    erika.wait_for("Eva Experte übernimmt diesen Chat")
    erika.page.locator("#help-status").filter(has_text="Eva Experte").wait_for()
    audit(erika.page, "escalation-accepted-de")

    # The agent sees it live; the chat is the expert's from here on.
    agent.locator("#messages").get_by_text(
        "Der Kunde hat angenommen: Der Chat liegt jetzt beim Experten Eva Experte."
    ).wait_for()
    agent.get_by_test_id("offer-box").wait_for(state="hidden")
    audit(agent, "escalation-accepted-agent-de")

    # The expert: the chat in the inbox, with the whole history, the note and the devices.
    prechats = desk.get_by_test_id("prechats")
    prechats.get_by_role("link", name="Erika Mustermann").click()
    desk.wait_for_url("**/portal/chats/*")
    messages = desk.locator("#messages")
    messages.get_by_text("My NAS backups fail every night.").wait_for()
    messages.get_by_text("A colleague who knows NAS backups well can help you further.").wait_for()
    messages.get_by_text("The customer declined the expert Eva Experte.").wait_for()
    notes = desk.get_by_test_id("handover-notes")
    assert NOTE in notes.inner_text() and "Anna Berger" in notes.inner_text()
    assert "Wohnzimmer-PC" in desk.get_by_test_id("customer-devices").inner_text()
    assert desk.get_by_test_id("conversation-kind").inner_text() == "Pre-chat with an expert"
    audit(desk, "escalation-expert-chat-en")
    desk.fill("#message-text", "Hello, I am Eva. Which NAS do you have?")
    desk.keyboard.press("Enter")
    erika.wait_for("Hello, I am Eva. Which NAS do you have?")
    desk.goto(f"{desk.url.split('?')[0]}?lang=de")
    desk.get_by_test_id("handover-notes").get_by_text(NOTE).wait_for()
    audit(desk, "escalation-expert-chat-de")
