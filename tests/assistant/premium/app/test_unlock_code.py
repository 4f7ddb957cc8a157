"""A hotline agent reads out a one-time code from the portal and the customer types it into
the assistant: premium appears at once, without a restart; the same code a second time is
refused with a sentence the customer understands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.assistant.premium.app.support import (
    check_status,
    open_assistant,
    open_view,
    sign_in,
    wait_for_result,
)
from tests.support.browser import BrowserContexts
from tests.support.portal_data import STAFF_PASSWORD, create_staff
from tests.support.premium_portal import PASSWORD, provision, shown_code, unreachable_url

pytestmark = pytest.mark.browser


def issue_code_in_portal(browser, portal_url: str, account: str) -> str:
    """The agent's side, in a browser of its own: log in, open the customer, issue a code."""
    contexts = BrowserContexts(browser)
    try:
        agent = contexts.new().new_page()
        agent.set_default_timeout(15_000)
        agent.goto(f"{portal_url}/login?lang=en")
        agent.fill("#username", "anna.berger")
        agent.fill("#password", STAFF_PASSWORD)
        agent.click("button[type=submit]")
        agent.wait_for_url(re.compile(r"/portal"))
        agent.goto(f"{portal_url}/portal/customers/{account}?lang=en")
        agent.get_by_role("button", name="Issue unlock code").click()
        code = agent.get_by_test_id("new-unlock-code").get_by_test_id("code").inner_text()
    finally:
        contexts.close_all()
    assert re.fullmatch(r"\d{4} \d{4}", code)
    return code


def test_a_code_from_the_hotline_unlocks_premium_at_once_and_only_once(
    portal, keys, api, db_session, browser, start_assistant, narrow_page, output_dir, database_url
):
    page = narrow_page
    create_staff(db_session, "anna.berger", "agent")
    provision(api, "K-300400", tier="none", name="Erika Mustermann")
    assistant = start_assistant(portal.url, pin=keys)
    open_assistant(page, assistant)
    sign_in(page, "K-300400", PASSWORD, "Erikas Laptop")
    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.inner_text("#premium-state-word") == "Free version"

    code = issue_code_in_portal(browser, portal.url, "K-300400")

    page.get_by_label("Unlock code (8 digits)").fill(code)  # as read out: "1234 5678"
    page.keyboard.press("Enter")
    done = page.wait_for_selector("#unlock-done:not([hidden])").inner_text()
    assert done.startswith("Premium is unlocked until ")
    assert page.inner_text("#premium-state-word") == "Premium is active"
    details = page.inner_text("#premium-details")
    assert "Unlocked by: One-time code from the hotline" in details
    assert page.get_attribute("[data-feature='cleanup']", "data-allowed") == "true"

    # The dashboard shows the premium checks without a restart.
    open_view(page, "dashboard")
    for check in ("computer.cpu", "security.firewall"):
        wait_for_result(page, check)

    open_view(page, "premium")
    page.get_by_label("Unlock code (8 digits)").fill(code.replace(" ", "-"))
    page.get_by_role("button", name="Unlock").click()
    refused = page.wait_for_selector("#unlock-error:not([hidden])").inner_text()
    assert refused == "This code has already been used. Please ask the hotline for a new one."
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-code-refused.png", full_page=True)

    # A wrong code counts; the customer sees how many tries are left, then until when the
    # lock holds.
    page.get_by_label("Unlock code (8 digits)").fill("0000 0001")
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_selector("#unlock-error:not([hidden]) >> text=Attempts left: 4.")
    assert "This code is not correct or no longer valid." in page.inner_text("#unlock-error")
    with assistant.client() as client:
        for _ in range(4):
            answer = client.post("/api/premium/unlock", json={"code": "0000-0002"})
    assert answer.status_code == 429 and answer.json()["code"] == "too_many_attempts"
    [until] = answer.json()["details"]
    assert re.fullmatch(r"Please try again after \d{1,2}:\d{2}\s?[AP]M\.", until), until

    # The code's unlock ends when the assistant closes.
    assert assistant.stop() == 0
    again = start_assistant(
        portal.url, pin=keys, data_dir=Path(assistant.environ["ISP_ASSISTANT_DATA_DIR"])
    )
    open_assistant(page, again)
    assert check_status(page, "computer.cpu") == "locked"
    open_view(page, "premium")
    assert page.inner_text("#premium-state-word") == "Free version"


def test_without_internet_the_offline_code_the_agent_reads_out_unlocks_premium(
    portal, keys, api, agent, assistants, start_assistant, narrow_page
):
    page = narrow_page
    provision(api, "K-300400", tier="none")
    laptop = assistants("laptop")
    laptop.sign_in("K-300400", password=PASSWORD, device_name="Erikas Laptop")
    laptop.close()
    shown = agent.post(
        f"/portal/customers/K-300400/devices/{laptop.device_key.device_id}/offline-code"
    )
    code = shown_code(shown.text)

    assistant = start_assistant(unreachable_url(), data_dir=laptop.data_dir, pin=keys)
    open_assistant(page, assistant)
    open_view(page, "premium")
    failed = page.inner_text("#premium-refresh-failed")
    assert failed.startswith("Premium could not be updated from the server at ")
    assert "cannot be reached" in failed
    page.get_by_label("Unlock code (8 digits)").fill(code)
    page.get_by_role("button", name="Unlock").click()

    assert (
        page.wait_for_selector("#unlock-done:not([hidden])")
        .inner_text()
        .startswith("Premium is unlocked until ")
    )
    assert "Unlocked by: Code from the hotline (offline)" in page.inner_text("#premium-details")
    open_view(page, "dashboard")
    wait_for_result(page, "computer.cpu")
