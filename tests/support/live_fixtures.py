"""Fixtures of the live-channel tests: settings with quick background rounds, the test's
database to arrange in, real assistants, staff channel clients and logged-in portal tabs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.config import PortalSettings
from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from assistant.i18n import translator
from tests.assistant.conftest import Launcher, internet  # noqa: F401 (a fixture)
from tests.support.browser import BrowserContexts
from tests.support.live import Assistant, StaffClient, World
from tests.support.live_customer import CustomerPage, give_password, sign_in
from tests.support.portal_data import TLS_CHECK
from tests.support.redis_server import redis_server


@pytest.fixture
def settings(database_url: str, tmp_path, request: pytest.FixtureRequest) -> PortalSettings:
    """`@pytest.mark.portal_settings(name=value)` changes a setting for one test."""
    marker = request.node.get_closest_marker("portal_settings")
    values = {
        "database_url": database_url,
        "data_dir": tmp_path / "portal-data",
        "login_failure_delay_seconds": 0,
        "live_sweep_seconds": 0.2,
        "default_language": "en",
        **(marker.kwargs if marker else {}),
    }
    return PortalSettings(_env_file=None, **values)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real Redis server for the tests of several workers (`PORTAL_PUBSUB_URL`)."""
    with redis_server() as url:
        yield url


@pytest.fixture(autouse=True)
def assistant_in_english():
    """The assistant's texts in English, as the portal pages here are (German has its own
    tests)."""
    token = translator.language.set("en")
    yield
    translator.language.reset(token)


@pytest.fixture
def world(settings: PortalSettings, tmp_path) -> Iterator[World]:
    world = World(settings, tmp_path / "device-keys")
    yield world
    world.close()


@pytest.fixture
def assistant_for(portal) -> Iterator:
    """`assistant_for(key, consent_answer=True)`: a running assistant on that device
    (`run_checks` makes its reports: a few quick checks unless given)."""
    made: list[Assistant] = []

    def make(key, *, consent_answer=True, url: str | None = None, start: bool = True, **options):
        assistant = Assistant(url or portal.url, key, consent_answer=consent_answer, **options)
        made.append(assistant)
        if start:
            assert assistant.start(), (
                f"the assistant did not connect: {assistant.connection_states}"
            )
        return assistant

    yield make
    for assistant in made:
        assistant.stop()


@pytest.fixture
def staff_client(portal) -> Iterator:
    made: list[StaffClient] = []

    def make(member, url: str | None = None, language: str | None = None) -> StaffClient:
        client = StaffClient(url or portal.url, member.token, language)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def staff_page(browser, portal) -> Iterator:
    """`staff_page(member)`: a browser tab logged in as that staff member (own context)."""
    contexts = BrowserContexts(browser)

    def make(member, url: str | None = None, **context_options):
        base = url or portal.url
        context = contexts.new(**context_options)
        context.add_cookies([{"name": SESSION_COOKIE, "value": member.token, "url": base}])
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    contexts.close_all()


@pytest.fixture
def customer_assistant(request, world, settings, internet, tmp_path) -> Iterator:  # noqa: F811
    """`customer_assistant(customer)`: the real assistant (headless) on the customer's
    computer, built for the server (its key pinned), signed in with the customer's
    password, so live help runs; it talks to the `portal` unless given another server's
    `url` (of the same settings, so the same keys)."""
    launcher = Launcher(internet, tmp_path / "customer-computers")

    def start(
        customer, *, url: str | None = None, device_name: str = "Wohnzimmer-PC", **environ: str
    ):
        give_password(world, customer)
        url = url or request.getfixturevalue("portal").url
        build = assistant_build_config(
            keys=ServerKeys.in_data_dir(settings.data_dir), servers=[url]
        )
        process = launcher("--headless", "--lang", "en", "--server", url, build=build, **environ)
        sign_in(process, customer.account_number, device_name)
        return process

    yield start
    launcher.stop_all()


@pytest.fixture
def customer_page(browser) -> Iterator:
    """`customer_page(assistant)`: its page on the live help tab, in a browser of its own."""
    contexts = BrowserContexts(browser)

    def make(assistant, **context_options) -> CustomerPage:
        page = contexts.new(**context_options).new_page()
        page.set_default_timeout(20_000)
        return CustomerPage(page, assistant).open()

    yield make
    contexts.close_all()


@pytest.fixture
def agent_http(portal):
    """`agent_http(member)`: an HTTP client with that staff member's portal session, in English."""
    clients = []

    def make(member) -> httpx.Client:
        client = httpx.Client(
            base_url=portal.url,
            timeout=30,
            headers={"Accept-Language": "en", "Cookie": f"portal_session={member.token}"},
            verify=TLS_CHECK,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
