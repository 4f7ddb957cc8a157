"""The login and admin pages in Debian's Chromium: logging in with the keyboard alone, the staff
list, and the German login page. Screenshots go to test-output/ for people to look at."""

from __future__ import annotations

import pytest

from tests.agent_portal.auth.accounts import PASSWORD

pytestmark = pytest.mark.browser


def test_admin_logs_in_by_keyboard_and_sees_the_staff(page, portal, database, output_dir):
    database.create_staff("ada", "admin", display_name="Ada Lovelace")
    database.create_staff("bert", "agent", display_name="Bert Berger")
    database.create_staff("carla", "expert", display_name="Carla Cortes")
    page.goto(f"{portal.url}/portal/admin?lang=en")
    assert page.url.startswith(f"{portal.url}/login?next=")
    page.screenshot(path=str(output_dir / "login-en.png"))

    # The user name field has the focus; Tab leads to the password; Enter sends the form.
    page.keyboard.type("ada")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{portal.url}/portal/admin?lang=en")

    staff_list = page.get_by_test_id("staff-list")
    for name in ("Ada Lovelace", "Bert Berger", "Carla Cortes"):
        assert staff_list.get_by_text(name).is_visible()
    assert page.get_by_test_id("current-user").inner_text() == "Ada Lovelace"

    page.get_by_label("Name of the new API key").fill("billing system")
    page.get_by_role("button", name="Create API key").click()
    new_key = page.get_by_test_id("new-api-key")
    assert new_key.locator("input").input_value().startswith("isp_")
    page.screenshot(path=str(output_dir / "admin-staff.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{portal.url}/login?logged_out=1")
    assert page.get_by_role("status").inner_text() == "You have been logged out."


def test_the_login_page_speaks_german(page, portal, database, output_dir):
    page.goto(f"{portal.url}/login?lang=de")
    assert page.get_by_role("heading", name="Anmelden").is_visible()
    assert page.get_by_label("Benutzername").is_visible()
    page.get_by_label("Benutzername").fill("niemand")
    page.get_by_label("Passwort").fill("falsches Passwort")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").inner_text() == "Benutzername oder Passwort ist falsch."
    page.screenshot(path=str(output_dir / "login-de.png"))
