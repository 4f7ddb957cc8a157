"""The agent's way in Debian's Chromium: log in through the real login form, open the
customer page, press "Issue unlock code", read the code from the page; the customer's
assistant redeems it and premium is allowed at once. Screenshots go to test-output/."""

from __future__ import annotations

import re

import pytest

from assistant.premium.errors import CodeRevoked
from tests.support.portal_data import STAFF_PASSWORD, create_staff
from tests.support.premium_portal import PASSWORD, provision

pytestmark = pytest.mark.browser


def test_an_agent_issues_a_code_that_unlocks_the_assistant_at_once(
    portal, page, db_session, api, assistants, output_dir, database_url
):
    screenshots = database_url.startswith("sqlite")
    create_staff(db_session, "anna.berger", "agent")
    provision(api, "K-100234", tier="none")
    laptop = assistants()
    laptop.sign_in("K-100234", password=PASSWORD, device_name="Erikas Laptop")
    assert not laptop.gate.allows("cleanup")

    page.set_default_timeout(10_000)
    page.goto(f"{portal.url}/portal/customers/K-100234?lang=en")
    page.fill("#username", "anna.berger")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{portal.url}/portal/customers/K-100234?lang=en")

    page.get_by_role("button", name="Issue unlock code").click()
    shown = page.get_by_test_id("new-unlock-code")
    code = shown.get_by_test_id("code").inner_text()
    assert re.fullmatch(r"\d{4} \d{4}", code)  # two groups, easy to read out
    assert "for this customer only" in shown.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    if screenshots:
        page.screenshot(path=output_dir / "unlock-code-issued.png", full_page=True)

    status = laptop.unlock_with_code(code)

    assert status.session_active and laptop.gate.allows("cleanup")
    page.goto(f"{portal.url}/portal/customers/K-100234")
    assert page.get_by_test_id("code-status").first.inner_text() == "used"

    page.get_by_role("button", name="Issue unlock code").click()
    second = page.get_by_test_id("new-unlock-code").get_by_test_id("code").inner_text()
    page.get_by_role("button", name="Revoke code #2").click()
    assert page.get_by_role("status").first.inner_text() == (
        "Code #2 has been revoked: it no longer unlocks anything."
    )
    assert page.get_by_test_id("code-status").first.inner_text() == "revoked"
    with pytest.raises(CodeRevoked):
        laptop.unlock_with_code(second)

    page.get_by_role("button", name="Offline code for “Erikas Laptop”").click()
    offline = page.get_by_test_id("offline-code")
    assert "Customer offline? Read this code for “Erikas Laptop”:" in offline.inner_text()
    assert re.fullmatch(r"\d{4} \d{4}", offline.get_by_test_id("code").inner_text())
    if screenshots:
        page.screenshot(path=output_dir / "offline-code-shown.png", full_page=True)

    page.goto(f"{portal.url}/portal/customers/K-100234?lang=de")
    assert page.get_by_role("button", name="Freischaltcode ausgeben").is_visible()
    assert page.get_by_role("button", name="„Erikas Laptop“ trennen").is_visible()
    if screenshots:
        page.screenshot(path=output_dir / "unlock-codes-de.png", full_page=True)
