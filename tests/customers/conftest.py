"""Fixtures of the customers tests: a database session beside the portal, an API key for
the provisioning API, staff members for the portal pages, and a sample customer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.customers import service
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import make_engine, make_session_factory, utcnow

STAFF_PASSWORD = "correct horse battery"


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    """A session on the test's database, as a second process would see it."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


@pytest.fixture
def api_key(db_session: Session) -> str:
    return auth_service.create_api_key(db_session=db_session, name="ISP back end").key


@pytest.fixture
def api(http: httpx.Client, api_key: str) -> httpx.Client:
    """The HTTP client of the ISP's back end: every request carries the API key."""
    http.headers["Authorization"] = f"Bearer {api_key}"
    return http


def add_customer(db_session: Session, account_number: str, **fields):
    body = {"name": "Erika Mustermann", "email": "erika@example.de", **fields}
    return service.save(
        db_session=db_session,
        account_number=account_number,
        customer_in=CustomerIn.model_validate(body),
        time_zone="Europe/Berlin",
    ).customer


def create_staff(db_session: Session, username: str, role: str):
    return auth_service.create_staff(
        db_session=db_session,
        username=username,
        password=STAFF_PASSWORD,
        role=role,
        display_name=username.replace(".", " ").title(),
    )


def logged_in_client(base_url: str, db_session: Session, username: str, role: str):
    """An HTTP client with the portal session cookie of a new staff member."""
    staff = create_staff(db_session, username, role)
    new = auth_service.create_session(
        db_session=db_session, staff=staff, lifetime=timedelta(hours=1), now=utcnow()
    )
    client = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, new.token)
    return client
