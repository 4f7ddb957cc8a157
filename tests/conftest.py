"""Fixtures every test may use.

Database tests ask for `database_url` (or anything built on it: `settings`, `portal_app`,
`portal`, `http`) and then run twice: on SQLite and on a real PostgreSQL server started for
the session. Each test gets a database as the template migrated once left it: on SQLite a
copy of the template's file, on PostgreSQL one database per test process, emptied back to
the template's rows after each test (`tests.support.postgres.ReusedDatabase`).
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from agent_portal.app import create_app
from agent_portal.auth import security
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine
from agent_portal.migrate import upgrade_to_head
from tests.support.browser import BrowserContexts, finish_open_contexts
from tests.support.hypothesis_budget import register_profiles
from tests.support.live_server import LiveServer
from tests.support.portal_data import TLS_CHECK, database_session
from tests.support.postgres import PostgresServer, ReusedDatabase, find_postgres_bin
from tests.support.route_signatures import signatures_read_once
from tests.support.system import require_program

DATABASES = ["sqlite", "postgresql"]
TEMPLATE_DATABASE = "portal_template"

register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--all-on-postgresql",
        action="store_true",
        help="run every database test on PostgreSQL too, also those that need only SQLite "
        "(browser, page, window and assistant tests, and those marked sqlite_only)",
    )


# Fixtures that start the assistant as a program of its own: a test using one is marked
# `subprocess` (seconds per start; make test-fast leaves it out, make test runs it).
PROGRAM_FIXTURES = {"start_assistant", "shared_assistant"}


@pytest.hookimpl(tryfirst=True)  # before `-m` chooses by marker
def pytest_itemcollected(item: pytest.Item) -> None:
    if PROGRAM_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        item.add_marker(pytest.mark.subprocess)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests whose subject is not the database run on SQLite only, unless asked: browser
    tests, tests of HTML pages over HTTP (`pages`), window tests (`desktop`), the
    assistant's tests (their subject is the assistant; the portal they talk to is a
    fixture) and tests marked `sqlite_only` (access rules, command-line parsing, a
    setting). What they do to the database is tested on both databases by the service and
    API tests beneath them: run twice, they cost the suite minutes and find nothing new."""
    if not config.getoption("--all-on-postgresql"):
        skipped = [item for item in items if _postgresql_adds_nothing(item)]
        if skipped:
            config.hook.pytest_deselected(items=skipped)
            items[:] = [item for item in items if not _postgresql_adds_nothing(item)]


SQLITE_ONLY_MARKERS = ("browser", "pages", "desktop", "sqlite_only")
ASSISTANT_TESTS = Path(__file__).resolve().parent / "assistant"


def _postgresql_adds_nothing(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is None or callspec.params.get("database_url") != "postgresql":
        return False
    if any(item.get_closest_marker(marker) for marker in SQLITE_ONLY_MARKERS):
        return True
    return Path(str(item.path)).is_relative_to(ASSISTANT_TESTS)


# Tests between two `gc.freeze()` (`pytest_runtest_protocol` below).
TESTS_PER_FREEZE = 25
_TESTS_RUN = pytest.StashKey[int]()


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Every `TESTS_PER_FREEZE` tests, once the last one's fixtures are gone, the garbage is
    collected and what is left is frozen out of Python's collector. The portal tunes the
    collector for a server (`agent_portal.realtime.hub.tune_garbage_collection`: young
    collections seldom, full ones very seldom), and in a test process, which serves
    hundreds of portals one after the other, each full collection walked every object
    the earlier tests had left alive (modules, caches): about a tenth of the quick loop's
    processor time. What is left after a test's teardown lives as long as the process
    (or its module's fixtures), so freezing it loses nothing worth collecting."""
    result = yield
    count = item.config.stash.get(_TESTS_RUN, 0) + 1
    item.config.stash[_TESTS_RUN] = count
    if count % TESTS_PER_FREEZE == 0:
        gc.collect()
        gc.freeze()
    return result


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Passwords hashed at the lowest argon2id cost in this process, so that making a staff
    member or signing in costs a test no time: the product's cost (64 MiB, 3 passes) takes
    most of a second on a busy machine and proves nothing about behaviour. The product's
    own programs, started in processes of their own, keep their cost, and verify these
    hashes all the same (each hash names its parameters)."""
    production = security.password_hasher
    security.password_hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    security.password_hasher = production


@pytest.fixture(scope="session", autouse=True)
def route_signatures_read_once() -> Iterator[None]:
    """FastAPI reads each endpoint's and dependency's signature once in this process, not
    once per app: each test builds an app of its own, and reading them again cost the first
    requests of every portal test a tenth of a second (`tests/support/route_signatures.py`)."""
    with signatures_read_once():
        yield


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


@pytest.fixture(scope="session")
def postgres_database(postgres_template: str) -> Iterator[ReusedDatabase]:
    database = ReusedDatabase(postgres_template, TEMPLATE_DATABASE)
    yield database
    database.drop()


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp_path / "portal.db")
        yield f"sqlite:///{tmp_path / 'portal.db'}"
        return
    database: ReusedDatabase = request.getfixturevalue("postgres_database")
    yield database.acquire()
    database.release()


def _database_url(server_url: str, name: str) -> str:
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def default_settings(tmp_path_factory: pytest.TempPathFactory) -> PortalSettings:
    return PortalSettings(
        _env_file=None,
        database_url="sqlite://",
        data_dir=tmp_path_factory.mktemp("unused-portal-data"),
        login_failure_delay_seconds=0,
    )


@pytest.fixture
def settings(default_settings: PortalSettings, database_url: str, tmp_path: Path) -> PortalSettings:
    """The embedded defaults on this test's database and data folder. Validated once per
    process and copied (deep: a test may change a list or a mapping of its own) rather than
    read from the environment anew for each of the thousand tests that take it."""
    return default_settings.model_copy(
        update={"database_url": database_url, "data_dir": tmp_path / "portal-data"}, deep=True
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
    with httpx.Client(base_url=portal.url, timeout=30, verify=TLS_CHECK) as client:
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
