"""Live help and remote diagnostics by keyboard and by speech, in German and English: the
agent asks for a report with the button's visible words, the customer reads the whole list
of what would be sent with the keyboard alone, attaching a file shows where the focus is,
and every focus ring on these pages stands out from what is behind it."""

from __future__ import annotations

import pytest

from agent_portal.realtime.models import LiveConnection
from tests.support.browser import audit, choose_language
from tests.support.focus import focused_ring, rings_by_tab, weak_rings
from tests.support.live import wait_until
from tests.support.live_customer import linked_device

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", ["en", "de"])]

REQUEST_BUTTON = {"en": "Request diagnostics", "de": "Diagnose anfordern"}


def in_language(erika, language: str) -> None:
    """The customer chooses the assistant's language as a person would: in its menu."""
    if language != "en":
        choose_language(erika.page, language)
        erika.wait_connected()


def test_the_agent_asks_by_the_visible_words_and_the_customer_scrolls_the_list_by_keyboard(
    portal, world, customer_assistant, customer_page, staff_page, language
):
    customer = world.customer()
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = customer_page(customer_assistant(customer, device_name="Wohnzimmer-PC"))
    in_language(erika, language)
    device = linked_device(world, customer)
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/customers/{customer.account_number}?lang={language}")
    row = page.locator(f"[data-diagnostics-device='{device.id}']")
    row.locator(".badge.presence.online").wait_for()
    assert weak_rings(rings_by_tab(page)) == []

    # Speech input ("click Diagnose anfordern") finds the button by the words it shows.
    button = row.get_by_role("button", name=REQUEST_BUTTON[language])
    assert button.count() == 1
    button.focus()
    page.keyboard.press("Enter")

    dialog = erika.page.locator("#consent-dialog")
    dialog.wait_for()
    audit(erika.page, f"consent-dialog-{language}")
    items = erika.page.locator("#consent-items")
    assert items.evaluate("list => list.scrollHeight > list.clientHeight")  # it does scroll
    # The safe answer has the focus; one step back is the list, which the arrows scroll.
    assert erika.page.evaluate("document.activeElement.id") == "consent-decline"
    erika.page.keyboard.press("Shift+Tab")
    scroller = erika.page.evaluate(
        """() => ({ role: document.activeElement.getAttribute("role"),
                    label: document.activeElement.getAttribute("aria-labelledby") })"""
    )
    assert scroller == {"role": "region", "label": "consent-items-title"}
    ring = focused_ring(erika.page)
    assert ring is not None and ring.contrast >= 3, ring
    for _ in range(12):
        erika.page.keyboard.press("ArrowDown")
    # Chromium scrolls by keyboard smoothly: the list moves over the next frames.
    erika.page.wait_for_function("document.activeElement.scrollTop > 0", timeout=5000)
    erika.page.keyboard.press("Tab")
    erika.page.keyboard.press("Enter")  # "Decline", by keyboard
    dialog.wait_for(state="hidden")


def test_attaching_a_file_shows_the_focus_and_every_ring_stands_out(
    portal, world, customer_assistant, customer_page, staff_page, language
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["computer"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang={language}")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))
    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Computer", "An error message pops up.")
    in_language(erika, language)
    erika.page.wait_for_selector("#help-chat:not([hidden])")

    erika.page.locator("#help-send").focus()
    erika.page.keyboard.press("Tab")  # to the file input, shown by its label "Attach a file"
    assert erika.page.evaluate("document.activeElement.id") == "help-file"
    ring = focused_ring(erika.page)
    assert ring is not None and ring.name.startswith("#help-file")
    assert ring.colours, "the focus on the file input shows nowhere"
    assert ring.contrast >= 3, ring
    audit(erika.page, f"help-attach-focused-{language}")

    assert weak_rings(rings_by_tab(erika.page)) == []
    page.goto(f"{portal.url}/portal/inbox?lang={language}")
    chat = page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann")
    assert weak_rings(rings_by_tab(page)) == []
    chat.click()
    page.wait_for_url("**/portal/chats/*")
    page.locator("#messages").get_by_text("An error message pops up.").wait_for()
    assert weak_rings(rings_by_tab(page)) == []
