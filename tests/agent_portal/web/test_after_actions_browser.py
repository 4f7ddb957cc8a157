"""What an agent does after pressing a button on the customer page, in Debian's Chromium:
reload the page (nothing is sent again: no second code, no second unlink), still read the
code to the customer after a reload, and switch the language right after an action (the
page comes back in the other language, never "Method Not Allowed"). Screenshots go to
test-output/."""

from __future__ import annotations

import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from tests.agent_portal.web.world import StaffBrowser, World

pytestmark = pytest.mark.browser

CUSTOMER_PAGE = "/portal/customers/K-100234"


def open_as(page, world: World, staff: StaffBrowser, path: str) -> None:
    page.set_default_timeout(10_000)
    page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": staff.session_token, "url": world.base_url}]
    )
    page.goto(world.base_url + path)


def test_a_reload_after_issuing_issues_no_second_code_and_still_shows_it(
    world, page, output_dir, database_url
):
    world.customer("K-100234", tier="none")
    anna = world.browser("anna.berger", "agent")
    open_as(page, world, anna, CUSTOMER_PAGE)

    page.get_by_role("button", name="Issue unlock code").click()
    shown = page.get_by_test_id("new-unlock-code")
    code = shown.get_by_test_id("code").inner_text()
    assert world.audit_count("unlock_code_issued") == 1

    page.reload()

    assert page.url == world.base_url + CUSTOMER_PAGE + "#unlock-codes"
    assert world.audit_count("unlock_code_issued") == 1
    assert len(page.locator("[data-code-id]").all()) == 1
    # The agent may still be on the phone: the code stays readable for them.
    assert page.get_by_test_id("new-unlock-code").get_by_test_id("code").inner_text() == code
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "unlock-code-after-reload.png", full_page=True)

    # A colleague on the same customer sees that a code is open, not its digits.
    ben = world.browser("ben.keller", "agent")
    colleague = page.context.browser.new_context(locale="en-US")
    try:
        other = colleague.new_page()
        open_as(other, world, ben, CUSTOMER_PAGE)
        assert other.get_by_test_id("code-status").first.inner_text() == "open"
        assert other.get_by_test_id("new-unlock-code").count() == 0
        assert code not in other.content()
    finally:
        colleague.close()


def test_a_reload_after_unlinking_sends_nothing_again(world, page):
    customer = world.customer("K-100234")
    world.device(customer, "Erikas Laptop")
    world.device(customer, "Büro-PC")
    anna = world.browser("anna.berger", "agent")
    open_as(page, world, anna, CUSTOMER_PAGE)

    page.get_by_role("button", name="Unlink “Erikas Laptop”").click()
    notice = "“Erikas Laptop” has been unlinked. Its place is free for another device."
    assert page.get_by_role("status").first.inner_text() == notice

    page.reload()

    assert page.url.startswith(world.base_url + CUSTOMER_PAGE)
    assert world.audit_count("device_unlinked") == 1
    assert page.get_by_role("alert").count() == 0  # no "not linked (any more)"
    assert page.get_by_role("button", name="Unlink “Büro-PC”").is_visible()
    assert page.get_by_text(notice).count() == 0  # said once


def test_the_language_switch_right_after_an_action_shows_the_page_in_the_other_language(
    world, page, output_dir, database_url
):
    customer = world.customer("K-100234")
    world.device(customer, "Erikas Laptop")
    anna = world.browser("anna.berger", "agent")
    open_as(page, world, anna, CUSTOMER_PAGE)
    page.get_by_role("button", name="Issue unlock code").click()
    code = page.get_by_test_id("new-unlock-code").get_by_test_id("code").inner_text()

    page.get_by_role("link", name="Deutsch").click()

    # Waited for, not looked at once: the click starts a navigation that has not ended yet.
    page.get_by_role("heading", name="Freischaltcodes").wait_for()
    assert page.get_by_role("button", name="Freischaltcode ausgeben").is_visible()
    assert page.get_by_test_id("new-unlock-code").get_by_test_id("code").inner_text() == code
    assert world.audit_count("unlock_code_issued") == 1
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "unlock-code-in-german.png", full_page=True)

    unlink = page.get_by_role("button", name="„Erikas Laptop“ trennen")
    unlink.click()
    unlink.wait_for(state="detached")  # the page after the action, not the one before
    page.get_by_role("link", name="English").click()

    page.get_by_role("heading", name="Unlock codes").wait_for()
    assert page.get_by_role("button", name="Issue unlock code").is_visible()
    assert world.audit_count("device_unlinked") == 1


def test_the_language_switch_on_a_refused_form_leads_to_the_page(world, page):
    """A form refused without changing anything is answered with its page and the reason
    (here: a colleague unlinked the device meanwhile); the language switch there leads to
    the page, not to the form's address."""
    customer = world.customer("K-100234")
    laptop = world.device(customer, "Erikas Laptop")
    anna = world.browser("anna.berger", "agent")
    ben = world.browser("ben.keller", "agent")
    open_as(page, world, anna, CUSTOMER_PAGE)
    ben.post(f"{CUSTOMER_PAGE}/devices/{laptop.id}/unlink")
    assert world.audit_count("device_unlinked") == 1

    page.get_by_role("button", name="Unlink “Erikas Laptop”").click()
    assert page.get_by_role("alert").inner_text() == (
        "This device is not linked to the customer (any more)."
    )

    page.get_by_role("link", name="Deutsch").click()

    assert page.get_by_role("heading", name="Freischaltcodes").is_visible()
    assert page.url == world.base_url + CUSTOMER_PAGE + "?lang=de"
