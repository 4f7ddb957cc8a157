"""The agent's customer pages over HTTP: who may see them, search results, the customer
page, and the 404 page, in English and German."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.customers import service
from agent_portal.customers.models import Platform
from agent_portal.database import utcnow
from tests.agent_portal.customers.conftest import add_customer, logged_in_client


@pytest.fixture
def agent(portal, db_session):
    with logged_in_client(portal.url, db_session, "anna", "agent") as client:
        yield client


def test_anonymous_browsers_are_sent_to_the_login_page(http):
    response = http.get("/portal/customers/K-1001", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fportal%2Fcustomers%2FK-1001"


def test_experts_may_not_open_customer_pages(portal, db_session):
    add_customer(db_session, "K-1001")
    with logged_in_client(portal.url, db_session, "egon", "expert") as expert:
        assert expert.get("/portal/customers").status_code == 403
        refused = expert.get("/portal/customers/K-1001")
    assert refused.status_code == 403
    assert "Erika" not in refused.text
    with logged_in_client(portal.url, db_session, "ada", "admin") as admin:
        assert admin.get("/portal/customers/K-1001").status_code == 200


def test_search_lists_matches_and_says_so_when_there_are_none(agent, db_session):
    add_customer(db_session, "K-100234", name="Erika Mustermann", subscription={"tier": "premium"})
    add_customer(db_session, "K-100299", name="Max Mustermann", email="max@example.de")
    add_customer(db_session, "K-555", name="Jana Novak", email="jana@example.de")

    found = agent.get("/portal/customers", params={"q": "MUSTER", "lang": "en"})
    assert found.status_code == 200
    assert "2 customers match “MUSTER”." in found.text
    assert 'href="/portal/customers/K-100234"' in found.text
    assert "Max Mustermann" in found.text and "Jana Novak" not in found.text
    assert '<span class="badge premium">Premium</span>' in found.text

    nothing = agent.get("/portal/customers", params={"q": "Schmidt"})
    assert "No customer matches “Schmidt”." in nothing.text
    assert "Check the spelling" in nothing.text

    german = agent.get("/portal/customers", params={"q": "Schmidt", "lang": "de"})
    assert "Kein Kunde passt zu „Schmidt“." in german.text


def test_customer_page_shows_contact_subscription_and_devices(agent, db_session):
    customer = add_customer(
        db_session,
        "K-100234",
        name="Erika Mustermann",
        language="en",
        subscription={"tier": "premium", "valid_until": "2099-12-31"},
    )
    service.add_device(
        db_session=db_session,
        customer=customer,
        name="Wohnzimmer-PC",
        platform=Platform.WINDOWS,
        last_seen_at=utcnow() - timedelta(minutes=5),
    )
    service.add_device(
        db_session=db_session, customer=customer, name="MacBook", platform=Platform.MACOS
    )
    db_session.commit()

    page = agent.get("/portal/customers/k-100234", params={"lang": "en"})

    assert page.status_code == 200
    text = page.text
    assert "<h1>Erika Mustermann</h1>" in text
    assert 'href="mailto:erika@example.de"' in text
    assert "<dd>English</dd>" in text
    assert '<span class="badge ok">Active</span>' in text
    assert "Dec 31, 2099" in text
    assert "2 of 3 in use" in text
    assert "Wohnzimmer-PC" in text and "macOS" in text
    assert "5 minutes ago" in text and "Never" in text

    german = agent.get("/portal/customers/K-100234", params={"lang": "de"}).text
    assert "Abonnement" in german and "2 von 3 belegt" in german and "vor 5 Minuten" in german
    assert "31.12.2099" in german and "Englisch" in german


def test_an_expired_subscription_is_marked_and_counts_as_none(agent, db_session):
    customer = add_customer(
        db_session, "K-2001", subscription={"tier": "premium_plus", "valid_until": "2021-03-31"}
    )
    for name in ["Laptop", "Tablet"]:
        service.add_device(
            db_session=db_session, customer=customer, name=name, platform=Platform.LINUX
        )
        db_session.commit()
    text = agent.get("/portal/customers/K-2001", params={"lang": "en"}).text
    assert '<span class="badge expired">Expired</span>' in text
    assert "2 of 1 in use" in text
    assert "More devices are linked than the subscription allows" in text


def test_an_unknown_account_number_gets_a_404_page_in_the_layout(agent):
    response = agent.get("/portal/customers/K-404404", params={"lang": "en"})
    assert response.status_code == 404
    assert "There is no customer with the account number K-404404." in response.text
    assert 'data-testid="current-user">Anna<' in response.text  # the portal's own layout
    assert 'name="q"' in response.text  # and a way on: the search form

    german = agent.get("/portal/customers/K-404404", params={"lang": "de"})
    assert german.status_code == 404 and "Kunde nicht gefunden" in german.text


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
