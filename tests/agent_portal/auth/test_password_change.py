"""An account with an initial password changes it before anything else: every staff page
and the staff socket lead to the change-password page until it is done, with the password
rules of the command line; then the page asked for. Wrong current passwords count like
failed logins."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from agent_portal.audit.models import AuditEntry
from agent_portal.auth import service
from agent_portal.auth.access import access_rule, api_routes
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.auth.models import PortalSession, StaffMember
from tests.agent_portal.auth.accounts import (
    ENGLISH,
    PASSWORD,
    hidden_csrf_token,
    log_in,
    page_error,
)
from tests.agent_portal.auth.test_access_rules import PATH_VALUES, fill_path
from tests.support.portal_data import TLS_CHECK

PASSWORD_PAGE = "/portal/password"
NEW_PASSWORD = "my very own password"


def must_change(database, username: str, role: str = "agent") -> StaffMember:
    member = database.create_staff(username, role, display_name=username.title())
    with database.session() as db_session:
        db_session.get(StaffMember, member.id).must_change_password = True
        db_session.commit()
    return member


@pytest.fixture
def newcomer(database, portal):
    """A fresh agent logged in with an initial password."""
    must_change(database, "nina")
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH) as client:
        assert log_in(client, "nina", next_path="/portal/inbox").status_code == 303
        yield client


def change(client: httpx.Client, **fields) -> httpx.Response:
    form = client.get(PASSWORD_PAGE)
    assert form.status_code == 200
    data = {
        "csrf_token": hidden_csrf_token(form.text),
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        **fields,
    }
    return client.post(PASSWORD_PAGE, data=data)


def test_every_staff_page_leads_to_the_password_page_first(newcomer, portal_app):
    """Read from the app's routes: no page of the portal is open to an account that still
    has its initial password, but the password page and logging out."""
    open_anyway = []
    for route in api_routes(portal_app.routes):
        rule = access_rule(route)
        if rule.kind != "staff" or "GET" not in route.methods:
            continue
        path = fill_path(route.path, [p.name for p in route.dependant.path_params])
        answer = newcomer.get(path)
        target = urlsplit(answer.headers.get("location", ""))
        if route.path == PASSWORD_PAGE:
            assert answer.status_code == 200
        elif answer.status_code != 303 or target.path != PASSWORD_PAGE:
            open_anyway.append(f"{route.path}: {answer.status_code}")
    assert open_anyway == [], open_anyway
    assert PATH_VALUES  # the same plausible values as the role table


def test_the_login_leads_through_the_password_page_to_the_page_asked_for(newcomer, database):
    first = newcomer.get("/portal/inbox")
    assert first.headers["location"] == f"{PASSWORD_PAGE}?next=%2Fportal%2Finbox"
    page = newcomer.get(first.headers["location"])
    assert "Choose your own password" in page.text

    done = change(newcomer, next="/portal/inbox")
    assert (done.status_code, done.headers["location"]) == (303, "/portal/inbox")
    assert newcomer.get("/portal/inbox").status_code == 200
    with database.session() as db_session:
        nina = service.get_staff_by_username(db_session=db_session, username="nina")
        assert not nina.must_change_password
        (entry,) = db_session.scalars(
            select(AuditEntry).where(AuditEntry.event == "staff_password_changed")
        ).all()
    assert (entry.actor_name, entry.data["username"]) == ("Nina", "nina")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"new_password": "short", "new_password_again": "short"},
            "The password is too short: it needs at least 10 characters.",
        ),
        ({"new_password_again": "something else"}, "The two new passwords differ."),
        (
            {"new_password": PASSWORD, "new_password_again": PASSWORD},
            "Choose a new password, not the one you have now.",
        ),
        ({"current_password": "not my password"}, "Your current password is wrong."),
        ({"current_password": ""}, "Enter your current password."),
    ],
)
def test_a_bad_new_password_is_refused_with_the_reason(newcomer, database, fields, message):
    answer = change(newcomer, **fields)
    assert answer.status_code in (400, 401)
    assert page_error(answer.text) == message
    with database.session() as db_session:
        nina = service.get_staff_by_username(db_session=db_session, username="nina")
        assert nina.must_change_password
    assert newcomer.get("/portal/inbox").status_code == 303  # still to the password page


def test_wrong_current_passwords_count_as_failed_logins(newcomer, settings):
    for _attempt in range(settings.login_max_failures - 1):
        assert change(newcomer, current_password="guessing").status_code == 401
    # The failure that reaches the limit locks, as at the login.
    assert change(newcomer, current_password="guessing").status_code == 429
    locked = change(newcomer)  # even the right one, now
    assert locked.status_code == 429
    assert "locked" in page_error(locked.text)


def test_changing_the_password_ends_the_other_sessions(newcomer, database, portal):
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as elsewhere:
        assert log_in(elsewhere, "nina").status_code == 303
        assert change(newcomer).status_code == 303
        assert elsewhere.get("/portal/customers").headers["location"].startswith("/login")
    assert newcomer.get("/portal/customers").status_code == 200
    with database.session() as db_session:
        assert len(db_session.scalars(select(PortalSession)).all()) == 1


def test_the_staff_socket_stays_shut_until_the_password_is_changed(newcomer, portal):
    url = portal.url.replace("http://", "ws://") + "/ws/staff"
    cookie = f"{SESSION_COOKIE}={newcomer.cookies[SESSION_COOKIE]}"
    headers = {"Origin": portal.url, "Cookie": cookie}
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers=headers)
    assert refused.value.response.status_code == 403
    change(newcomer)
    with connect(url, additional_headers=headers):
        pass


def test_the_password_page_speaks_german(newcomer):
    page = newcomer.get(f"{PASSWORD_PAGE}?lang=de")
    assert "Wählen Sie Ihr eigenes Passwort" in page.text
    refused = change(newcomer, new_password_again="anders")  # the language stays German
    assert page_error(refused.text) == "Die beiden neuen Passwörter sind verschieden."
