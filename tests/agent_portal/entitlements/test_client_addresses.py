"""Whose address the attempt limits count: the connection's, unless the settings name it as
a reverse proxy (`PORTAL_FORWARDED_ALLOW_IPS`); then the client the proxy names in
X-Forwarded-For. Over real HTTP from several loopback addresses, on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import httpx
import pytest

from agent_portal.audit.service import entries_for
from agent_portal.config import PortalSettings
from agent_portal.unlock_codes.audit_events import Event
from assistant.premium.client import DeviceSignature
from assistant.premium.service import PremiumService
from isp_common.premium_wire import REDEEM_PATH
from tests.support.portal_data import TLS_CHECK
from tests.support.postgres import free_port
from tests.support.premium_portal import PASSWORD, provision

PROXY = "127.0.0.5"  # a reverse proxy in front of the portal
NOT_A_PROXY = "127.0.0.1"  # anyone else, e.g. a customer connecting directly
ALICE, BOB = "198.51.100.1", "198.51.100.2"  # two customers behind the proxy


@pytest.fixture
def forwarded_allow_ips() -> str:
    return ""  # a test names the proxy by parametrizing this


@pytest.fixture
def settings(settings: PortalSettings, forwarded_allow_ips: str) -> PortalSettings:
    return PortalSettings(
        **{**settings.model_dump(), "forwarded_allow_ips": forwarded_allow_ips}, _env_file=None
    )


@pytest.fixture
def customers(api, assistants) -> tuple[PremiumService, PremiumService]:
    """Two customers without subscription, each signed in on a computer of their own."""
    computers = []
    for account_number in ("K-100234", "K-555666"):
        provision(api, account_number, tier="none")
        computer = assistants(account_number)
        computer.sign_in(account_number, password=PASSWORD, device_name="PC")
        computers.append(computer)
    return computers[0], computers[1]


def redeem(server, computer: PremiumService, code: str, *, via: str, forwarded_for: str):
    """A redeem request from the address `via`, naming `forwarded_for` as the client."""
    transport = httpx.HTTPTransport(local_address=via)
    with httpx.Client(
        verify=TLS_CHECK,
        base_url=server.url,
        timeout=30,
        transport=transport,
        auth=DeviceSignature(computer.device_key),
        headers={"X-Forwarded-For": forwarded_for},
    ) as client:
        return client.post(REDEEM_PATH, json={"code": code})


def lock_out(server, computer: PremiumService, settings, *, via: str, forwarded_for: str):
    for _attempt in range(settings.unlock_max_failures):
        answer = redeem(server, computer, "0000 0000", via=via, forwarded_for=forwarded_for)
    assert answer.status_code == 429, answer.text


def failure_addresses(db_session) -> set[str]:
    db_session.expire_all()
    return {
        entry.address
        for entry in entries_for(db_session=db_session, event=Event.UNLOCK_CODE_FAILED)
    }


def test_without_the_setting_a_forwarded_address_is_not_believed(
    portal, customers, agent, settings, db_session
):
    alice, bob = customers
    lock_out(portal, alice, settings, via=NOT_A_PROXY, forwarded_for=ALICE)

    # Bob's own address in the header changes nothing: the address that counts is the
    # connection's, which Alice locked.
    answer = redeem(portal, bob, agent.issue_code("K-555666"), via=NOT_A_PROXY, forwarded_for=BOB)
    assert answer.status_code == 429, answer.text
    assert failure_addresses(db_session) == {NOT_A_PROXY}


@pytest.mark.parametrize("forwarded_allow_ips", [f"{PROXY}, 10.20.0.0/16"])
def test_behind_the_named_proxy_each_client_is_limited_by_its_own_address(
    portal, customers, agent, settings, db_session
):
    alice, bob = customers
    lock_out(portal, alice, settings, via=PROXY, forwarded_for=ALICE)

    answer = redeem(portal, bob, agent.issue_code("K-555666"), via=PROXY, forwarded_for=BOB)
    assert answer.status_code == 200, answer.text
    assert failure_addresses(db_session) == {ALICE}
    # Alice's own next try, through the proxy, is still locked.
    again = redeem(portal, alice, agent.issue_code("K-100234"), via=PROXY, forwarded_for=ALICE)
    assert again.status_code == 429


@pytest.mark.parametrize("forwarded_allow_ips", [PROXY])
def test_a_client_that_is_not_the_proxy_cannot_name_another_address(
    portal, customers, agent, settings, db_session
):
    alice, bob = customers
    # Each wrong code claims another address: all of them count against the real one.
    for number in range(settings.unlock_max_failures):
        redeem(portal, alice, "0000 0000", via=NOT_A_PROXY, forwarded_for=f"203.0.113.{number}")

    answer = redeem(portal, bob, agent.issue_code("K-555666"), via=NOT_A_PROXY, forwarded_for=BOB)
    assert answer.status_code == 429, answer.text
    assert failure_addresses(db_session) == {NOT_A_PROXY}


@contextmanager
def served(settings: PortalSettings, folder) -> Iterator[SimpleNamespace]:
    """`agent-portal serve` as an operator starts it, with the settings in its environment."""
    port = free_port()
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": settings.database_url,
        "PORTAL_DATA_DIR": str(settings.data_dir),
        "PORTAL_FORWARDED_ALLOW_IPS": settings.forwarded_allow_ips,
    }
    command = [sys.executable, "-m", "agent_portal.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(verify=TLS_CHECK, timeout=1) as client:  # one for all tries
            while True:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "agent-portal serve did not answer in 60 s"
                try:
                    if client.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
        yield SimpleNamespace(url=url)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.subprocess  # runs `agent-portal serve`
@pytest.mark.sqlite_only  # what the server believes of a proxy is no matter of the database
@pytest.mark.parametrize(
    ("forwarded_allow_ips", "counted"), [("", NOT_A_PROXY), (NOT_A_PROXY, ALICE)]
)
def test_agent_portal_serve_believes_only_the_proxies_its_settings_name(
    customers, settings, db_session, tmp_path, counted
):
    alice, _bob = customers
    with served(settings, tmp_path) as server:
        answer = redeem(server, alice, "0000 0000", via=NOT_A_PROXY, forwarded_for=ALICE)
    assert answer.status_code == 403, answer.text
    assert failure_addresses(db_session) == {counted}


def test_a_proxy_setting_that_is_no_address_is_refused_at_start():
    with pytest.raises(ValueError, match="'proxy.example' is not an IP address or network"):
        PortalSettings(_env_file=None, forwarded_allow_ips="10.0.0.5, proxy.example")
    accepted = PortalSettings(_env_file=None, forwarded_allow_ips=" 10.0.0.5 ,fd00::/8,* ")
    assert accepted.forwarded_allow_ips == "10.0.0.5, fd00::/8, *"
