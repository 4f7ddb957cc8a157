"""Signing in in the assistant's window links this computer: a subscriber's premium checks
unlock at once; a customer without Premium sees them locked and why; a full device list is
explained, with the computers to release one of."""

from __future__ import annotations

import pytest

from tests.assistant.premium.app.support import (
    check_status,
    open_assistant,
    open_view,
    sign_in,
    wait_for_result,
)
from tests.support.premium_portal import PASSWORD, PROVISIONING, provision

pytestmark = pytest.mark.browser

PREMIUM_CHECKS = ("computer.cpu", "computer.memory", "security.firewall")


def test_a_subscriber_signs_in_and_the_premium_checks_unlock(
    portal, keys, api, start_assistant, narrow_page, output_dir, database_url
):
    page = narrow_page
    provision(api, "K-100234", tier="premium", name="Erika Mustermann")
    assistant = start_assistant(portal.url, pin=keys)
    open_assistant(page, assistant)
    assert all(check_status(page, check) == "locked" for check in PREMIUM_CHECKS)

    open_view(page, "premium")
    assert page.inner_text("#premium-state-word") == "Free version"
    assert page.input_value("#sign-in-device")  # the computer's own name, ready to keep
    page.get_by_label("Customer number").fill("K-100234")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name of this computer").fill("Erikas Laptop")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-sign-in.png", full_page=True)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.inner_text("#account-name") == (
        "Signed in as Erika Mustermann, customer number K-100234"
    )
    assert page.inner_text("#account-device") == "This computer: Erikas Laptop"
    assert page.inner_text("#premium-state-word") == "Premium is active"
    assert page.inner_text("#premium-package") == "Your package: Premium"
    assert "Unlocked by: Your subscription" in page.inner_text("#premium-details")
    cleanup = page.locator("[data-feature='cleanup']")
    assert cleanup.get_attribute("data-allowed") == "true"
    assert "Unlocked" in cleanup.inner_text()
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-signed-in.png", full_page=True)

    # Without a restart, the premium checks run and show on the dashboard.
    open_view(page, "dashboard")
    for check in PREMIUM_CHECKS:
        wait_for_result(page, check)
    page.wait_for_selector("body[data-run='finished']")
    assert page.locator("#view-dashboard .unlock-note").count() == 0
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-dashboard-unlocked.png", full_page=True)
    with assistant.client() as client:
        assert client.get("/api/checks/computer.cpu").status_code == 200


def test_a_customer_without_premium_is_told_why_it_stays_locked(
    portal, keys, api, assistants, start_assistant, narrow_page, output_dir, database_url
):
    page = narrow_page
    provision(api, "K-200300", tier="none", name="Max Meier")
    living_room = assistants("living-room")
    living_room.sign_in("K-200300", password=PASSWORD, device_name="Wohnzimmer-PC")
    assistant = start_assistant(portal.url, pin=keys)
    open_assistant(page, assistant)

    # The free package links one computer, and that place is taken.
    sign_in(page, "K-200300", PASSWORD, "Küchen-PC")
    error = page.wait_for_selector("#sign-in-error:not([hidden])").inner_text()
    # No "subscription" for a customer without one; the linked computer, to release it.
    assert "Without a subscription, only 1 computer can be linked" in error
    assert "subscription allows" not in error
    assert "You can release one of your computers below" in error  # how to free a place
    assert page.inner_text("#release-devices .device-name") == "Wohnzimmer-PC"
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-device-limit.png", full_page=True)

    living_room.sign_out()  # unlinked on the other computer: the place is free
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.inner_text("#premium-state-word") == "Free version"
    assert page.inner_text("#premium-package") == "Your package: Free"
    assert page.locator("[data-feature='cleanup']").get_attribute("data-allowed") == "false"
    assert page.inner_text("#features-note-text") == (
        "This feature is part of Premium. "
        "Ask the hotline for a one-time code, or subscribe to Premium."
    )
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-free-signed-in.png", full_page=True)

    open_view(page, "dashboard")
    assert check_status(page, "computer.cpu") == "locked"
    note = page.inner_text("#area-computer .unlock-note")
    assert "Ask your hotline for a one-time code, or subscribe to Premium." in note
    with assistant.client() as client:
        refused = client.get("/api/checks/computer.cpu")
    assert refused.status_code == 403
    assert refused.json()["reason"] == "no_entitlement"

    # Unlinking here frees the place again.
    open_view(page, "premium")
    page.get_by_role("button", name="Sign out and unlink this computer").click()
    page.wait_for_selector("#sign-in-form:not([hidden])")
    assert page.inner_text("#premium-notice") == (
        "This computer has been unlinked from your customer account."
    )
    assert living_room.sign_in("K-200300", password=PASSWORD).linked


def test_signing_in_with_the_activation_code_works_by_keyboard_alone(
    portal, keys, api, start_assistant, narrow_page
):
    page = narrow_page
    provision(api, "K-500600", tier="premium", password=None)
    letter = api.post(f"{PROVISIONING}/K-500600/activation-codes").json()["code"]
    assistant = start_assistant(portal.url, pin=keys)
    open_assistant(page, assistant)
    open_view(page, "premium")

    page.focus("#sign-in-account")
    page.keyboard.type("K-500600")
    page.keyboard.press("Tab")  # to the choice: password or activation code
    page.keyboard.press("ArrowDown")
    assert page.is_checked("input[value='activation_code']")
    page.keyboard.press("Tab")  # the password field is gone: the code's field is next
    page.keyboard.type(letter.lower())
    page.keyboard.press("Tab")  # the computer's name, filled in already
    assert page.evaluate("document.activeElement.id") == "sign-in-device"
    page.keyboard.press("Enter")

    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.inner_text("#premium-package") == "Your package: Premium"
