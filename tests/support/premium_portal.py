"""Fixtures of the premium server tests: the real portal on loopback, the assistant's real
premium service (client, gate, stores, offline verifier) in temporary data directories,
the ISP's back end with an API key, and hotline agents with portal sessions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from assistant.premium.service import PremiumService
from isp_common.assistant_build import BuildConfig
from tests.support.portal_data import (
    TLS_CHECK,
    form_token,
    logged_in_client,
    new_api_key,
)
from tests.support.postgres import free_port

PASSWORD = "Sommer-Sonne-2025"
PROVISIONING = "/api/v1/provisioning/customers"
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def keys(portal_app) -> ServerKeys:
    """The running server's own keys."""
    return portal_app.state.server_keys


@pytest.fixture
def api(portal, db_session) -> Iterator[httpx.Client]:
    """The ISP's back end: the provisioning API with an API key."""
    key = new_api_key(db_session, "billing system").key
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=portal.url, timeout=30, headers=headers, verify=TLS_CHECK) as client:
        yield client


def provision(
    api: httpx.Client,
    account_number: str,
    *,
    tier: str = "premium",
    name: str = "Erika Mustermann",
    password: str | None = PASSWORD,
) -> None:
    """A customer as the ISP's back end sends it: the customer, then the password."""
    body = {"name": name, "email": "kunde@example.de", "subscription": {"tier": tier}}
    assert api.put(f"{PROVISIONING}/{account_number}", json=body).status_code in (200, 201)
    if password is not None:
        response = api.put(f"{PROVISIONING}/{account_number}/password", json={"password": password})
        assert response.status_code == 204, response.text


@pytest.fixture
def assistants(portal, keys, tmp_path) -> Iterator:
    """`assistants(name)`: the assistant's premium service on a computer of its own (its
    own data directory and key), talking to the portal, built as the ISP's assistant for
    it (`build=` for another build configuration)."""
    made: list[PremiumService] = []

    def make(
        name: str = "laptop", server_url: str | None = None, build: BuildConfig | None = None
    ) -> PremiumService:
        build = build or assistant_build_config(keys=keys, servers=[portal.url])
        service = PremiumService.open(
            tmp_path / "computers" / name, server_url or portal.url, build=build
        )
        made.append(service)
        return service

    yield make
    for service in made:
        service.close()


def unreachable_url() -> str:
    """A server address nothing listens on: the internet is down."""
    return f"http://127.0.0.1:{free_port()}"


@dataclass
class PortalUser:
    """A staff member's browser session, over plain HTTP."""

    client: httpx.Client
    csrf_token: str

    def post(self, path: str, **fields: str) -> httpx.Response:
        """Sends a form and, like a browser, loads the page it redirects to."""
        data = {"csrf_token": self.csrf_token, **fields}
        return self.client.post(path, data=data, follow_redirects=True)

    def issue_code(self, account_number: str) -> str:
        page = self.post(f"/portal/customers/{account_number}/unlock-codes")
        assert [answer.status_code for answer in page.history] == [303], page.text
        assert page.status_code == 200, page.text
        return shown_code(page.text)


def shown_code(html: str) -> str:
    """The 8-digit code a page shows for reading out ("1234 5678")."""
    match = re.search(r'data-testid="code">(\d{4} \d{4})<', html)
    assert match, "the page shows no code"
    return match.group(1)


@pytest.fixture
def staff_member(portal, db_session) -> Iterator:
    """`staff_member(username, role)`: a logged-in staff member of the portal."""
    clients: list[httpx.Client] = []

    def make(username: str = "anna.berger", role: str = "agent") -> PortalUser:
        client = logged_in_client(portal.url, db_session, username, role)
        client.headers.update(ENGLISH)
        clients.append(client)
        return PortalUser(client, form_token(db_session, client))

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def agent(staff_member) -> PortalUser:
    return staff_member("anna.berger", "agent")
