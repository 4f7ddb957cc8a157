"""The flash that carries a form's outcome to the page it redirects to, on both databases:
a notice is said once, on its page, to the browser that sent the form; kept data stays
until its time; nothing in the table is readable without that browser's cookie; a script
fetching the page in the background takes nothing away; logging out ends it all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.database import Base, make_engine
from agent_portal.i18n import translator
from agent_portal.web.flash import N_, Flash
from agent_portal.web.models import PortalFlash
from tests.support.portal_data import create_staff, new_portal_session

PAGE = "/portal/customers/K-100234"
OTHER_PAGE = "/portal/customers/K-200345"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def browser_of(db_session, clock):
    """`browser_of(username)`: a new staff member's portal session, as (token, flash
    maker): `flash()` is that session's flash within one request."""
    lifetime = timedelta(hours=8)

    def make(username: str):
        staff = create_staff(db_session, username, "agent")
        new = new_portal_session(db_session, staff, lifetime)

        def flash(page_load: bool = True) -> Flash:
            return Flash(
                db_session=db_session,
                portal_session_id=new.session.id,
                session_token=new.token,
                page_load=page_load,
                clock=clock,
            )

        return new.token, flash

    return make


def stored(db_session: Session) -> int:
    return db_session.scalar(select(func.count()).select_from(PortalFlash))


def test_the_migration_makes_the_table_the_model_describes(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    ours = [diff for diff in differences if "portal_flashes" in repr(diff)]
    assert ours == [], f"the migration and the model differ: {ours}"


def test_a_notice_is_said_once_on_its_page_to_its_browser(db_session, browser_of):
    _token, anna = browser_of("anna.berger")
    _other, ben = browser_of("ben.keller")
    flash = anna()
    flash.notice(PAGE, N_("Code #%(id)d has been revoked."), id=7)
    answer = flash.redirect(PAGE, fragment="unlock-codes")

    assert (answer.status_code, answer.headers["location"]) == (303, PAGE + "#unlock-codes")
    assert ben().take(PAGE).notices == []  # a colleague on the same page
    assert anna().take(OTHER_PAGE).notices == []  # another page
    assert anna(page_load=False).take(PAGE).notices == []  # a script's background fetch
    token = translator.language.set("en")
    try:
        assert anna().take(PAGE).notices == ["Code #7 has been revoked."]
    finally:
        translator.language.reset(token)
    assert anna().take(PAGE).notices == []  # said once
    assert stored(db_session) == 0


def test_the_notice_is_said_in_the_language_of_the_page_that_shows_it(browser_of):
    _token, anna = browser_of("anna.berger")
    flash = anna()
    flash.notice(PAGE, N_("The API key “%(name)s” has been revoked."), name="crm")
    flash.redirect(PAGE)

    token = translator.language.set("de")
    try:
        assert anna().take(PAGE).notices == ["Der API-Schlüssel „crm“ wurde widerrufen."]
    finally:
        translator.language.reset(token)


def test_kept_data_stays_until_its_time(db_session, browser_of, clock):
    _token, anna = browser_of("anna.berger")
    flash = anna()
    flash.keep(
        PAGE, "unlock_code", {"code_id": 1, "code": "11112222"}, until=START + timedelta(minutes=15)
    )
    flash.keep(
        PAGE, "unlock_code", {"code_id": 2, "code": "33334444"}, until=START + timedelta(minutes=20)
    )
    flash.redirect(PAGE)

    for minutes in (0, 1, 14):
        clock.now = START + timedelta(minutes=minutes)
        assert anna().take(PAGE).kept["unlock_code"] == [
            {"code_id": 2, "code": "33334444"},
            {"code_id": 1, "code": "11112222"},
        ]  # newest first, on every load
    clock.now = START + timedelta(minutes=15)
    assert anna().take(PAGE).kept["unlock_code"] == [{"code_id": 2, "code": "33334444"}]
    clock.now = START + timedelta(minutes=20)
    assert anna().take(PAGE).kept == {}
    assert stored(db_session) == 0


def test_once_data_is_shown_by_the_next_page_load_only(browser_of):
    _token, anna = browser_of("anna.berger")
    flash = anna()
    flash.once(PAGE, "api_key", {"api_key_id": 3, "key": "isp_secret"})
    flash.redirect(PAGE)

    assert anna(page_load=False).take(PAGE).kept == {}
    assert anna().take(PAGE).kept == {"api_key": [{"api_key_id": 3, "key": "isp_secret"}]}
    assert anna().take(PAGE).kept == {}


def test_nothing_in_the_table_is_readable_without_the_browsers_cookie(db_session, browser_of):
    _token, anna = browser_of("anna.berger")
    flash = anna()
    flash.keep(
        PAGE, "unlock_code", {"code_id": 1, "code": "98765432"}, until=START + timedelta(hours=1)
    )
    flash.notice(PAGE, N_("“%(name)s” has been unlinked."), name="Erikas Laptop")
    flash.redirect(PAGE)

    rows = db_session.scalars(select(PortalFlash)).all()
    assert len(rows) == 2
    for row in rows:
        assert b"98765432" not in row.sealed and b"Erikas" not in row.sealed
        assert b"unlock_code" not in row.sealed and b"notice" not in row.sealed
    # Moved to another session (someone with write access to the table): it opens for
    # nobody there, and is dropped.
    _other, ben = browser_of("ben.keller")
    for row in rows:
        row.portal_session_id = ben().portal_session_id
    db_session.commit()
    shown = ben().take(PAGE)
    assert (shown.kept, shown.notices) == ({}, [])
    assert stored(db_session) == 0


def test_logging_out_ends_what_waits(db_session, browser_of):
    token, anna = browser_of("anna.berger")
    flash = anna()
    flash.keep(
        PAGE, "unlock_code", {"code_id": 1, "code": "11112222"}, until=START + timedelta(hours=1)
    )
    flash.redirect(PAGE)
    assert stored(db_session) == 1

    assert auth_service.end_session(db_session=db_session, token=token)

    assert stored(db_session) == 0


def test_nothing_is_stored_without_the_redirect(db_session, browser_of):
    _token, anna = browser_of("anna.berger")
    anna().notice(PAGE, N_("Code #%(id)d has been revoked."), id=7)
    db_session.commit()
    assert stored(db_session) == 0


def test_error_pages_give_their_database_connection_back(world, portal_app):
    """A refusal raised before the page's code runs (a role, a form's token) is drawn
    after the request's database session has closed: it must not open it again."""
    anna = world.browser("anna.berger", "agent")
    for _ in range(6):
        assert anna.client.get("/portal/admin").status_code == 403
        assert anna.client.post("/portal/customers/K-1/unlock-codes").status_code == 403
    assert portal_app.state.engine.pool.checkedout() <= 1  # at most a request in flight


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
