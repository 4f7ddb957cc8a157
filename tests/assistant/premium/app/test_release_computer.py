"""A customer whose places for computers are all taken signs in on a new computer: the
assistant lists the linked computers (name, when last seen) and, after a confirmation,
releases the chosen one so that this computer takes its place. A customer without a
subscription is not told about a subscription. Through the assistant's local API and its
page in real Chromium, against the real portal, on both databases."""

from __future__ import annotations

import pytest

from tests.agent_portal.entitlements.test_linking import stored_devices
from tests.assistant.premium.app.support import open_assistant, open_view, sign_in
from tests.support.browser import audit
from tests.support.premium_portal import PASSWORD, provision


def names(db_session, account_number: str) -> list[str]:
    return [device.name for device in stored_devices(db_session, account_number)]


@pytest.fixture
def taken(api, assistants):
    """K-300400 without a subscription: its one place is taken by "Alter Laptop"."""
    provision(api, "K-300400", tier="none", name="Max Meier")
    old = assistants("old")
    old.sign_in("K-300400", password=PASSWORD, device_name="Alter Laptop")
    return old


def test_the_local_api_offers_the_linked_computers_and_releases_the_chosen_one(
    portal, keys, taken, assistants, start_assistant, db_session
):
    stranger = assistants("stranger")  # a computer of nobody's
    assistant = start_assistant(portal.url, pin=keys)
    sign_in_body = {
        "account_number": "K-300400",
        "password": PASSWORD,
        "device_name": "Neuer Laptop",
    }
    with assistant.client() as client:
        nothing_pending = client.post("/api/premium/release", json={"device_id": "x"})
        refused = client.post("/api/premium/sign-in", json=sign_in_body)
        body = refused.json()
        foreign = client.post(
            "/api/premium/release", json={"device_id": stranger.device_key.device_id}
        )
        chosen = {"device_id": taken.device_key.device_id}
        released = client.post("/api/premium/release", json=chosen)
        again = client.post("/api/premium/release", json=chosen)

    # Before any refused sign-in there is nothing to release with.
    assert nothing_pending.status_code == 409
    assert nothing_pending.json()["code"] == "release_ticket_invalid"
    assert "Please sign in again." in nothing_pending.json()["error"]

    assert refused.status_code == 409 and body["code"] == "device_limit_reached"
    assert "subscription allows" not in body["error"]  # the customer has none
    assert body["error"] == (
        "Without a subscription, only 1 computer can be linked to your account. You can "
        "release one of your computers below: this computer then takes its place. Or call "
        "the hotline."
    )
    [listed] = body["release"]["devices"]
    assert listed["device_id"] == taken.device_key.device_id and listed["name"] == "Alter Laptop"
    assert listed["last_seen_text"].startswith("Last seen: ")
    assert listed["linked_at_text"].startswith("Linked on ")
    assert body["release"]["until_text"].startswith("Please choose before ")
    assert "ticket" not in refused.text  # the ticket stays in the assistant

    # A computer that is not the customer's is refused, and the choice stays open.
    assert foreign.status_code == 409
    assert foreign.json()["code"] == "release_device_unknown"
    assert "nothing was released" in foreign.json()["error"]

    assert released.status_code == 200, released.text
    view = released.json()
    assert view["linked"] and view["device_name"] == "Neuer Laptop"
    assert view["message"] == (
        "“Alter Laptop” has been released. This computer is now linked in its place."
    )
    assert names(db_session, "K-300400") == ["Neuer Laptop"]
    assert not taken.refresh().linked

    # Released once: a second try has no ticket any more.
    assert again.status_code == 409 and again.json()["code"] == "release_ticket_invalid"
    assert names(db_session, "K-300400") == ["Neuer Laptop"]


@pytest.mark.browser
def test_a_customer_releases_a_computer_by_keyboard_after_a_confirmation(
    portal, keys, taken, start_assistant, narrow_page, output_dir, database_url, db_session
):
    page = narrow_page
    assistant = start_assistant(portal.url, pin=keys)
    open_assistant(page, assistant)
    sign_in(page, "K-300400", PASSWORD, "Neuer Laptop")

    page.wait_for_selector("#release-panel:not([hidden])")
    error = page.inner_text("#sign-in-error")
    assert "subscription allows" not in error
    assert "Without a subscription, only 1 computer can be linked" in error
    device = page.locator(".release-device")
    assert device.locator(".device-name").inner_text() == "Alter Laptop"
    assert "Last seen: " in device.inner_text()
    audit(page, "release-offer")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-release-offer.png", full_page=True)

    # Choosing asks first; cancelling releases nothing and returns to the choice.
    page.get_by_role("button", name="Release “Alter Laptop”").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#release-confirm:not([hidden])")
    assert page.inner_text("#release-question") == (
        "Release “Alter Laptop”? It will be unlinked from your customer account and this "
        "computer takes its place."
    )
    assert page.evaluate("document.activeElement.id") == "release-yes"
    audit(page, "release-confirm")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-release-confirm.png", full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "release-no"
    page.keyboard.press("Enter")
    assert page.is_hidden("#release-confirm")
    assert page.evaluate("document.activeElement.dataset.name") == "Alter Laptop"
    assert names(db_session, "K-300400") == ["Alter Laptop"]

    page.keyboard.press("Enter")
    page.wait_for_selector("#release-confirm:not([hidden])")
    page.keyboard.press("Enter")
    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.is_hidden("#release-panel") and page.is_hidden("#sign-in-error")
    assert page.inner_text("#premium-notice") == (
        "“Alter Laptop” has been released. This computer is now linked in its place."
    )
    assert page.inner_text("#account-device") == "This computer: Neuer Laptop"
    assert names(db_session, "K-300400") == ["Neuer Laptop"]
    audit(page, "released")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-released.png", full_page=True)


@pytest.mark.browser
def test_a_german_customer_releases_a_computer_in_german(
    portal, keys, taken, start_assistant, narrow_page, output_dir, database_url, db_session
):
    page = narrow_page
    assistant = start_assistant(portal.url, pin=keys, lang="de")
    open_assistant(page, assistant)
    open_view(page, "premium")
    page.wait_for_selector("#sign-in-form:not([hidden])")
    page.get_by_label("Kundennummer").fill("K-300400")
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Name dieses Computers").fill("Neuer Laptop")
    page.get_by_role("button", name="Anmelden").click()

    page.wait_for_selector("#release-panel:not([hidden])")
    error = page.inner_text("#sign-in-error")
    assert "Ohne Abonnement kann nur 1 Computer mit Ihrem Konto verknüpft werden." in error
    assert "Ihr Abonnement erlaubt" not in error
    assert page.inner_text("#release-title") == "Ihre verknüpften Computer"
    assert "Zuletzt gesehen: " in page.inner_text(".release-device")
    audit(page, "release-offer-de")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-release-offer-de.png", full_page=True)

    page.get_by_role("button", name="„Alter Laptop“ freigeben").click()
    assert page.inner_text("#release-question").startswith("„Alter Laptop“ freigeben?")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-release-confirm-de.png", full_page=True)
    page.get_by_role("button", name="Ja, freigeben").click()
    page.wait_for_selector("#account-linked:not([hidden])")
    assert page.inner_text("#premium-notice") == (
        "„Alter Laptop“ wurde freigegeben. Dieser Computer ist jetzt an seiner Stelle verknüpft."
    )
    assert names(db_session, "K-300400") == ["Neuer Laptop"]
    audit(page, "released-de")
    if database_url.startswith("sqlite"):
        page.screenshot(path=output_dir / "premium-released-de.png", full_page=True)
