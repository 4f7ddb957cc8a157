"""Staff management in Debian's Chromium: an admin creates an agent with the keyboard alone;
the agent logs in with the initial password, must choose their own, and then works; an
agent's open tab is sent to the login page the moment an admin deactivates them."""

from __future__ import annotations

import re

import pytest

from tests.agent_portal.auth.accounts import PASSWORD
from tests.support.browser import BrowserContexts, audit

pytestmark = pytest.mark.browser

FOCUSED_LABEL = """() => {
  const element = document.activeElement;
  if (element.labels && element.labels.length) return element.labels[0].innerText.trim();
  return (element.getAttribute("aria-label") || element.innerText || "").trim();
}"""


def tab_to(page, label: str, most: int = 15) -> None:
    """Presses Tab until the control named `label` has the focus."""
    for _press in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_LABEL) == label:
            return
    raise AssertionError(f"Tab never reached {label!r}")


def log_in_by_keyboard(page, username: str, password: str) -> None:
    page.locator("#username:focus").wait_for()  # autofocus, once the page has applied it
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


@pytest.fixture
def second_browser(browser):
    contexts = BrowserContexts(browser)
    yield lambda: contexts.new().new_page()
    contexts.close_all()


def test_an_admin_creates_an_agent_who_chooses_a_password_and_works(
    page, second_browser, portal, database
):
    database.create_staff("ada", "admin", display_name="Ada Lovelace")
    page.goto(f"{portal.url}/portal/admin?lang=en")
    log_in_by_keyboard(page, "ada", PASSWORD)
    page.wait_for_url(f"{portal.url}/portal/admin?lang=en")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{portal.url}/portal/admin/staff")
    page.get_by_label("User name").focus()
    page.keyboard.type("nina.neu")
    tab_to(page, "Name")
    page.keyboard.type("Nina Neu")
    tab_to(page, "Role")  # a hotline agent is the first choice
    tab_to(page, "Wi-Fi")
    page.keyboard.press("Space")
    tab_to(page, "Create account")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r".*/portal/admin/staff/\d+$"))
    assert "Nina Neu" in page.get_by_role("status").inner_text()
    initial = page.get_by_test_id("initial-password").input_value()
    assert page.get_by_label("Wi-Fi").is_checked()
    audit(page, "new-account-en")

    agent = second_browser()
    agent.goto(f"{portal.url}/portal/inbox?lang=en")
    log_in_by_keyboard(agent, "nina.neu", initial)
    agent.wait_for_url(re.compile(r".*/portal/password\?next=%2Fportal%2Finbox%3Flang%3Den$"))
    assert agent.get_by_role("heading", name="Choose your own password").is_visible()
    audit(agent, "choose-password-en")
    agent.get_by_label("Current password").focus()
    agent.keyboard.type(initial)
    tab_to(agent, "New password")
    agent.keyboard.type("nina's own password")
    tab_to(agent, "New password again")
    agent.keyboard.type("nina's own password")
    agent.keyboard.press("Enter")
    agent.wait_for_url(f"{portal.url}/portal/inbox?lang=en")
    assert agent.get_by_test_id("current-user").inner_text() == "Nina Neu"


def test_a_deactivated_agents_open_tab_goes_to_the_login_page(
    page, second_browser, portal, database
):
    database.create_staff("ada", "admin", display_name="Ada Lovelace")
    bert = database.create_staff("bert", "agent", display_name="Bert Berger")
    agent = second_browser()
    agent.goto(f"{portal.url}/login?lang=en&next=/portal/customers")
    log_in_by_keyboard(agent, "bert", PASSWORD)
    agent.wait_for_url(f"{portal.url}/portal/customers")
    agent.locator("html[data-live='open']").wait_for(state="attached")

    page.goto(f"{portal.url}/login?lang=en&next=/portal/admin/staff/{bert.id}")
    log_in_by_keyboard(page, "ada", PASSWORD)
    page.wait_for_url(f"{portal.url}/portal/admin/staff/{bert.id}")
    page.get_by_role("button", name="Deactivate").click()
    assert "deactivated" in page.get_by_role("status").inner_text()

    agent.wait_for_url(re.compile(r".*/login\?next="), timeout=5000)
    assert agent.get_by_role("heading", name="Log in").is_visible()


def test_the_staff_pages_in_german_refuse_a_taken_name_and_reset_a_password(page, portal, database):
    database.create_staff("ada", "admin", display_name="Ada Lovelace")
    bert = database.create_staff("bert", "agent", display_name="Bert Berger")
    page.goto(f"{portal.url}/login?lang=de&next=/portal/admin/staff")
    log_in_by_keyboard(page, "ada", PASSWORD)
    page.wait_for_url(f"{portal.url}/portal/admin/staff")
    assert page.get_by_role("heading", name="Mitarbeiter", exact=True).is_visible()

    page.get_by_label("Benutzername").fill("Bert")
    page.get_by_label("Name", exact=True).fill("Bert Zwei")
    page.get_by_role("button", name="Konto anlegen").click()
    assert page.get_by_role("alert").inner_text() == "Der Benutzername bert ist bereits vergeben."
    assert page.get_by_label("Name", exact=True).input_value() == "Bert Zwei"  # kept
    audit(page, "taken-name-de")

    page.goto(f"{portal.url}/portal/admin/staff/{bert.id}")
    page.get_by_role("button", name="Passwort zurücksetzen").click()
    assert "neues Startpasswort" in page.get_by_role("status").inner_text()
    assert len(page.get_by_test_id("initial-password").input_value()) >= 10
    audit(page, "password-reset-de")

    page.get_by_label("E-Mail (optional", exact=False).fill("bert@isp.example.net")
    page.get_by_role("button", name="Änderungen speichern").click()
    page.wait_for_url(f"{portal.url}/portal/admin/staff/{bert.id}")
    assert page.get_by_label("E-Mail (optional", exact=False).input_value() == (
        "bert@isp.example.net"
    )
    audit(page, "member-email-de")

    page.get_by_role("link", name="English").click()
    assert page.get_by_role("button", name="Reset password").is_visible()
    assert page.get_by_test_id("initial-password").count() == 0  # shown once only
    audit(page, "member-en")
