"""Fixtures every test may use.

Database tests ask for `database_url` (or anything built on it: `settings`, `portal_app`,
`portal`, `http`) and then run twice: on SQLite and on a real PostgreSQL server started for
the session. Each test gets a fresh database copied from a template migrated once.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from agent_portal.app import create_app
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine
from agent_portal.migrate import upgrade_to_head
from tests.support.browser import BrowserContexts, finish_open_contexts
from tests.support.hypothesis_budget import register_profiles
from tests.support.live_server import LiveServer
from tests.support.portal_data import database_session
from tests.support.postgres import PostgresServer, find_postgres_bin
from tests.support.system import require_program

DATABASES = ["sqlite", "postgresql"]
TEMPLATE_DATABASE = "portal_template"

register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browsers-on-postgresql",
        action="store_true",
        help="run the browser and page tests on PostgreSQL too, not only on SQLite",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests and tests of HTML pages over HTTP (marked `pages`) run on SQLite only,
    unless asked: what a page does to the database is tested on both databases by the
    service and API tests beneath it, and a page test run twice costs the suite minutes and
    finds nothing new."""
    if config.getoption("--browsers-on-postgresql"):
        return
    skipped = [item for item in items if _browser_on_postgresql(item)]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not _browser_on_postgresql(item)]


def _browser_on_postgresql(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return (
        (item.get_closest_marker("browser") or item.get_closest_marker("pages")) is not None
        and callspec is not None
        and callspec.params.get("database_url") == "postgresql"
    )


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Screenshots and other artefacts a person may want to look at after the run."""
    path = Path(__file__).resolve().parent.parent / "test-output"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        require_program("pg_ctl", "postgresql")
    server = PostgresServer(bin_dir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    admin = create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DATABASE}"))
    admin.dispose()
    engine = make_engine(_database_url(postgres_server.url, TEMPLATE_DATABASE))
    upgrade_to_head(engine)
    engine.dispose()
    return postgres_server.url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "portal.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()
    return path


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp_path / "portal.db")
        yield f"sqlite:///{tmp_path / 'portal.db'}"
        return
    admin_url: str = request.getfixturevalue("postgres_template")
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DATABASE}"))
    try:
        yield _database_url(admin_url, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> PortalSettings:
    return PortalSettings(
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "portal-data",
        login_failure_delay_seconds=0,
    )


@pytest.fixture
def portal_app(settings: PortalSettings):
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def portal(portal_app) -> Iterator[LiveServer]:
    """The real portal, served by uvicorn on a loopback port."""
    server = LiveServer(portal_app).start()
    yield server
    server.stop()


@pytest.fixture
def http(portal: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=portal.url, timeout=30) as client:
        yield client


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """The pages a test leaves open are checked when its body ends, while its servers run.
    `@pytest.mark.expected_console_errors(pattern, ...)`: console errors a test brings about
    on purpose (a server it stops), which the browser logs whatever the page does."""
    try:
        result = yield
    except BaseException:
        finish_open_contexts(test_passed=False)
        raise
    marker = item.get_closest_marker("expected_console_errors")
    finish_open_contexts(test_passed=True, expected_errors=marker.args if marker else ())
    return result


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (no browser download).

    Per module, not per session: while Playwright's sync API runs, its event loop counts
    as running in the main thread, and every later `asyncio.run()` in a test would fail."""
    chromium_path = require_program("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    contexts = BrowserContexts(browser)
    page = contexts.new().new_page()
    yield page
    contexts.close_all()


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    """A session on the test's database, as a second process would see it."""
    yield from database_session(database_url)
