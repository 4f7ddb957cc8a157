"""Staff accounts and logins for the auth tests: real accounts in the test database, real
logins over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session

from agent_portal.auth import service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.config import PortalSettings
from agent_portal.database import make_engine, make_session_factory, utcnow

PASSWORD = "correct horse battery"
ROLES = ("agent", "expert", "admin")
ENGLISH = {"Accept-Language": "en"}


@dataclass
class Database:
    """A session factory on the test database, for arranging and checking stored state."""

    settings: PortalSettings

    def __post_init__(self) -> None:
        self.engine = make_engine(self.settings.database_url)
        self.factory = make_session_factory(self.engine)

    def session(self) -> Session:
        return self.factory()

    def create_staff(self, username: str, role: str, password: str = PASSWORD, **extra):
        with self.session() as db_session:
            member = service.create_staff(
                db_session=db_session, username=username, password=password, role=role, **extra
            )
            db_session.commit()
            return member

    def csrf_token_of(self, client: httpx.Client) -> str:
        """The CSRF token of the client's portal session, as its pages carry it."""
        with self.session() as db_session:
            portal_session = service.get_session_by_token(
                db_session=db_session, token=client.cookies.get(SESSION_COOKIE), now=utcnow()
            )
            assert portal_session is not None, "the client is not logged in"
            return portal_session.csrf_token

    def close(self) -> None:
        self.engine.dispose()


def login_form_token(client: httpx.Client) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return hidden_csrf_token(page.text)


def hidden_csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def log_in(
    client: httpx.Client, username: str, password: str = PASSWORD, next_path: str = ""
) -> httpx.Response:
    token = login_form_token(client)
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password, "next": next_path},
    )


def page_error(html: str) -> str:
    match = re.search(r'<p class="error" role="alert">([^<]*)</p>', html)
    return match.group(1) if match else ""


def page_notice(html: str) -> str:
    match = re.search(r'<p class="notice" role="status">([^<]*)</p>', html)
    return match.group(1) if match else ""
