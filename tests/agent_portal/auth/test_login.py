"""Logging in and out over real HTTP: cookies, sessions that end, the `next` address, wrong
passwords and lock-outs."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import update

from agent_portal.app import create_app
from agent_portal.auth import service
from agent_portal.auth.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from agent_portal.auth.models import PortalSession, StaffMember
from agent_portal.auth.security import token_hash
from agent_portal.database import utcnow
from tests.agent_portal.auth.accounts import PASSWORD, log_in, page_error, page_notice
from tests.support.live_server import LiveServer
from tests.support.portal_data import TLS_CHECK


def session_cookie(response) -> SimpleCookie:
    cookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{SESSION_COOKIE}="):
            cookie.load(header)
    assert SESSION_COOKIE in cookie, "the response sets no session cookie"
    return cookie


def test_login_opens_a_session_and_logout_ends_it(http, database, settings):
    database.create_staff("anna", "admin", display_name="Anna Admin")
    response = log_in(http, "Anna")  # user names are not case-sensitive
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert http.get("/").headers["location"] == "/portal/customers"  # an admin's start page

    cookie = session_cookie(response)[SESSION_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/"
    assert not cookie["secure"]  # settings.cookie_secure is off for plain HTTP
    assert int(cookie["max-age"]) == settings.session_lifetime_minutes * 60
    with database.session() as db_session:
        stored = db_session.query(PortalSession).one()
        assert stored.token_hash == token_hash(cookie.value)  # the token itself is not kept

    admin_page = http.get("/portal/admin")
    assert admin_page.status_code == 200
    assert "Anna Admin" in admin_page.text

    old_token = cookie.value
    logout = http.post("/logout", data={"csrf_token": database.csrf_token_of(http)})
    assert logout.status_code == 303
    assert logout.headers["location"].startswith("/login")
    assert page_notice(http.get(logout.headers["location"]).text) == "You have been logged out."
    with database.session() as db_session:
        assert db_session.query(PortalSession).count() == 0
    # The old cookie, sent again, opens nothing.
    http.cookies.set(SESSION_COOKIE, old_token)
    again = http.get("/portal/admin")
    assert again.status_code == 303
    assert again.headers["location"] == "/login?next=%2Fportal%2Fadmin"


def test_session_cookie_is_secure_when_the_settings_say_so(settings, database):
    secure = settings.model_copy(update={"cookie_secure": True})
    app = create_app(secure)
    server = LiveServer(app).start()
    try:
        with httpx.Client(verify=TLS_CHECK, base_url=server.url, timeout=30) as client:
            database.create_staff("anna", "agent")
            form_cookie = client.get("/login").headers["set-cookie"]
            # Over plain HTTP the client keeps Secure cookies to itself, as browsers do; send
            # the pre-session token by hand, as a browser on HTTPS would.
            client.cookies.set(LOGIN_CSRF_COOKIE, "token")
            response = client.post(
                "/login", data={"csrf_token": "token", "username": "anna", "password": PASSWORD}
            )
            cookie = session_cookie(response)[SESSION_COOKIE]
    finally:
        server.stop()
        app.state.engine.dispose()
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert form_cookie.startswith(f"{LOGIN_CSRF_COOKIE}=")
    assert "Secure" in form_cookie and "HttpOnly" in form_cookie


def test_wrong_password_and_unknown_user_get_the_same_answer(http, database):
    database.create_staff("anna", "agent")
    wrong_password = log_in(http, "anna", "not the password")
    unknown_user = log_in(http, "bertha", PASSWORD)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert page_error(response.text) == "Wrong user name or password."
        assert SESSION_COOKIE not in response.cookies
    # The form keeps the user name, so only the password needs typing again.
    assert 'value="anna"' in wrong_password.text


def test_empty_fields_are_asked_for(http, database):
    response = log_in(http, "", "")
    assert response.status_code == 400
    assert page_error(response.text) == "Enter your user name and your password."


def test_an_expired_session_sends_the_browser_to_login(http, database):
    database.create_staff("anna", "admin")
    log_in(http, "anna")
    assert http.get("/portal/admin").status_code == 200
    with database.session() as db_session:
        db_session.execute(update(PortalSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db_session.commit()
    response = http.get("/portal/admin?tab=keys")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fportal%2Fadmin%3Ftab%3Dkeys"
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]  # the browser forgets it


def test_a_deactivated_member_is_logged_out_and_cannot_log_in(http, database):
    database.create_staff("anna", "admin")
    log_in(http, "anna")
    with database.session() as db_session:
        db_session.execute(update(StaffMember).values(is_active=False))
        db_session.commit()
    assert http.get("/portal/admin").status_code == 303
    response = log_in(http, "anna")
    assert response.status_code == 401
    assert page_error(response.text) == "Wrong user name or password."


def test_next_never_leaves_the_site(http, database):
    database.create_staff("anna", "admin")
    for target in [
        "https://evil.example",
        "//evil.example/portal",
        "/\\evil.example",
        "javascript:alert(1)",
        "https:/evil.example",
        "portal/admin",
    ]:
        http.cookies.clear()  # a new browser each time
        response = log_in(http, "anna", next_path=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/", target


def test_each_role_starts_on_its_own_page(http, database):
    database.create_staff("erik", "expert", display_name="Erik Experte")
    log_in(http, "erik")
    start = http.get("/", follow_redirects=True)
    assert start.status_code == 200
    assert str(start.url).endswith("/portal/expert")
    assert "Erik Experte" in start.text


def test_next_returns_to_the_page_asked_for(http, database):
    database.create_staff("anna", "admin")
    first = http.get("/portal/admin?tab=keys")
    assert first.headers["location"] == "/login?next=%2Fportal%2Fadmin%3Ftab%3Dkeys"
    login_page = http.get(first.headers["location"])
    assert 'name="next" value="/portal/admin?tab=keys"' in login_page.text
    response = log_in(http, "anna", next_path="/portal/admin?tab=keys")
    assert response.headers["location"] == "/portal/admin?tab=keys"


def test_repeated_failures_lock_the_login_with_a_message(http, database, settings):
    database.create_staff("anna", "agent")
    for _attempt in range(settings.login_max_failures - 1):
        assert log_in(http, "anna", "guess").status_code == 401
    locking = log_in(http, "anna", "guess")
    assert locking.status_code == 429
    expected = (
        "Too many failed logins with this user name or from your address: logging in is "
        f"locked for {settings.login_lock_minutes} more minutes. Please try again later."
    )
    assert page_error(locking.text) == expected
    # Now even the right password is refused, with the same message.
    correct = log_in(http, "anna")
    assert correct.status_code == 429
    assert page_error(correct.text) == expected
    assert SESSION_COOKIE not in correct.cookies
    # A made-up user name locks the same way, so the lock reveals no accounts.
    for _attempt in range(settings.login_max_failures):
        unknown = log_in(http, "nobody-here", "guess")
    assert unknown.status_code == 429
    assert page_error(unknown.text) == expected


def test_lock_message_in_german(http, database, settings):
    for _attempt in range(settings.login_max_failures):
        log_in(http, "anna", "guess")
    assert "Anmelden" in http.get("/login?lang=de").text  # the portal now speaks German
    response = log_in(http, "anna", "guess")
    assert response.status_code == 429
    assert page_error(response.text) == (
        "Zu viele fehlgeschlagene Anmeldungen mit diesem Benutzernamen oder von Ihrer Adresse: "
        f"Die Anmeldung ist noch {settings.login_lock_minutes} Minuten gesperrt. "
        "Bitte versuchen Sie es später erneut."
    )


def test_staff_sessions_are_stored_as_hashes_only(database):
    member = database.create_staff("anna", "agent")
    with database.session() as db_session:
        new = service.create_session(
            db_session=db_session, staff=member, lifetime=timedelta(hours=1), now=utcnow()
        )
        row = db_session.get(PortalSession, new.session.id)
        assert new.token not in (row.token_hash, row.csrf_token)
        assert row.token_hash == token_hash(new.token)
