"""The router settings check opens the provider's admin page when the computer's router is
one of the provider's (same address), and the router's own address for a router of the
customer's own. A real HTTP server on loopback plays the provider's admin page."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from assistant.diagnostics.collectors import Collectors
from tests.assistant.diagnostics.diagnostics_support import closed_port, loopback_settings, run


@pytest.fixture
def admin_page() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def modem_facts(**settings):
    """What the router settings check finds, the computer's router being 127.0.0.1."""
    values = {"gateway": "127.0.0.1", "modem_url": None, **settings}
    return run(Collectors.create(loopback_settings(**values)).network.modem())


def test_the_providers_admin_page_is_opened_when_the_router_is_the_providers(admin_page):
    facts = modem_facts(router_address="127.0.0.1", router_admin_page=admin_page)
    assert (facts.url, facts.answers) == (admin_page, True)


def test_a_router_of_the_customers_own_keeps_its_own_address(admin_page):
    facts = modem_facts(router_address="192.0.2.1", router_admin_page=admin_page)
    assert facts.url == "http://127.0.0.1/"


def test_a_page_set_on_the_computer_wins_over_the_providers(admin_page):
    own = f"http://127.0.0.1:{closed_port()}/"
    facts = modem_facts(modem_url=own, router_address="127.0.0.1", router_admin_page=admin_page)
    assert facts.url == own
