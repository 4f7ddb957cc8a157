"""Fixtures of the auth tests: the test database, and logged-in clients per role."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.agent_portal.auth.accounts import ENGLISH, Database, log_in
from tests.support.portal_data import TLS_CHECK


@pytest.fixture
def database(settings) -> Iterator[Database]:
    database = Database(settings)
    yield database
    database.close()


@pytest.fixture
def http(portal) -> Iterator[httpx.Client]:
    """Like the shared `http`, but asks for English pages (the portal defaults to German);
    the German texts have tests of their own."""
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH) as client:
        yield client


@pytest.fixture
def client_for(portal, database):
    """`client_for(role)`: a new HTTP client logged in as a fresh staff member of that role."""
    clients: list[httpx.Client] = []

    def make(role: str) -> httpx.Client:
        username = f"{role}{len(clients) + 1}"
        database.create_staff(username, role, display_name=f"{role.title()} Tester")
        client = httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH)
        clients.append(client)
        response = log_in(client, username)
        assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()
