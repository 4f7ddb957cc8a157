"""An agent's way through the customer pages in Debian's Chromium: log in through the real
login form, search, open the customer page. Screenshots go to test-output/."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.customers import service
from agent_portal.customers.models import Platform
from agent_portal.database import utcnow
from tests.agent_portal.customers.conftest import STAFF_PASSWORD, add_customer, create_staff

pytestmark = pytest.mark.browser


def seed(db_session) -> None:
    create_staff(db_session, "anna.berger", "agent")
    erika = add_customer(
        db_session,
        "K-100234",
        name="Erika Mustermann",
        email="erika.mustermann@example.de",
        subscription={"tier": "premium", "valid_until": "2027-03-31"},
    )
    add_customer(
        db_session,
        "K-100299",
        name="Max Mustermann",
        email="max.mustermann@beispiel-provider.de",
        language="en",
    )
    add_customer(
        db_session,
        "K-204518",
        name="Jana Mustermann-Oberhauser",
        email="jana.oberhauser@example.de",
        subscription={"tier": "premium_plus"},
    )
    now = utcnow()
    service.add_device(
        db_session=db_session,
        customer=erika,
        name="Wohnzimmer-PC",
        platform=Platform.WINDOWS,
        linked_at=now - timedelta(days=90),
        last_seen_at=now - timedelta(minutes=12),
    )
    service.add_device(
        db_session=db_session,
        customer=erika,
        name="MacBook Air",
        platform=Platform.MACOS,
        linked_at=now - timedelta(days=3),
    )
    db_session.commit()


def test_agent_logs_in_finds_a_customer_and_opens_the_page(
    portal, db_session, page, output_dir, database_url
):
    seed(db_session)
    database = "sqlite" if database_url.startswith("sqlite") else "postgresql"

    page.set_default_timeout(10_000)
    page.goto(f"{portal.url}/portal/customers?lang=en")
    assert "/login" in page.url  # not logged in yet
    page.fill("#username", "anna.berger")
    page.fill("#password", STAFF_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{portal.url}/portal/customers?lang=en")  # back where the agent was

    page.fill("#q", "mustermann")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/customers?q=mustermann")
    assert page.inner_text("[data-testid=result-count]").startswith("3 customers match")
    rows = page.locator("table.customers tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t")[:2] == ["K-100234", "Erika Mustermann"]
    _assert_fits_the_window(page)
    if database == "sqlite":
        page.screenshot(path=output_dir / "agent-search.png", full_page=True)

    page.click("text=K-100234")
    page.wait_for_url("**/portal/customers/K-100234")
    assert page.inner_text("h1") == "Erika Mustermann"
    assert page.inner_text("[data-testid=tier]") == "Premium"
    assert page.inner_text("[data-testid=device-usage]") == "2 of 3 in use"
    devices = page.locator("table.devices tbody tr")
    assert devices.count() == 2
    assert "12 minutes ago" in devices.nth(0).inner_text()
    _assert_fits_the_window(page)
    if database == "sqlite":
        page.screenshot(path=output_dir / "customer-page.png", full_page=True)

    page.click("a[lang=de]")  # the language switch in the layout
    page.wait_for_url("**/portal/customers/K-100234?lang=de")
    assert page.inner_text("[data-testid=device-usage]") == "2 von 3 belegt"
    assert "vor 12 Minuten" in page.inner_text("table.devices")
    if database == "sqlite":
        page.screenshot(path=output_dir / "customer-page-de.png", full_page=True)

    page.click("text=← Kunden finden")
    page.fill("#q", "Schmidt")
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/customers?q=Schmidt")
    assert "Kein Kunde passt zu „Schmidt“." in page.inner_text("main")
    if database == "sqlite":
        page.screenshot(path=output_dir / "agent-search-empty-de.png", full_page=True)


def _assert_fits_the_window(page) -> None:
    # Nothing runs off the side at 1280x800: the page needs no horizontal scrolling.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
