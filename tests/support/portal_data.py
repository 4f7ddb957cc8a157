"""Arranging the portal's data for tests, the way the product stores it: customers through
the customers service, staff members, their portal sessions and API keys through the auth
service. Services flush and never commit; each helper here owns its step, like a command
would, and commits it, so the running portal (another connection) sees it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.customers import service
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import make_engine, make_session_factory, utcnow

STAFF_PASSWORD = "correct horse battery"

# The default certificate check (certifi's list), read once: each httpx.Client would read
# the list anew (tens of milliseconds), and the portal's tests make a client or more each.
TLS_CHECK = httpx.create_ssl_context()


def database_session(database_url: str) -> Iterator[Session]:
    """A session on the test's database, as a second process would see it (for fixtures)."""
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session:
        yield session
    engine.dispose()


def add_customer(db_session: Session, account_number: str, **fields):
    body = {"name": "Erika Mustermann", "email": "erika@example.de", **fields}
    customer = service.save(
        db_session=db_session,
        account_number=account_number,
        customer_in=CustomerIn.model_validate(body),
        time_zone="Europe/Berlin",
    ).customer
    db_session.commit()
    return customer


def create_staff(db_session: Session, username: str, role: str):
    member = auth_service.create_staff(
        db_session=db_session,
        username=username,
        password=STAFF_PASSWORD,
        role=role,
        display_name=username.replace(".", " ").title(),
    )
    db_session.commit()
    return member


def new_portal_session(
    db_session: Session, staff, lifetime: timedelta = timedelta(hours=1)
) -> auth_service.NewSession:
    """A portal session of `staff`, as a login opens it: its token goes into the cookie."""
    new = auth_service.create_session(
        db_session=db_session, staff=staff, lifetime=lifetime, now=utcnow()
    )
    db_session.commit()
    return new


def new_api_key(db_session: Session, name: str) -> auth_service.NewApiKey:
    """An API key of the ISP's back end, as an admin or the create-api-key command makes it."""
    new = auth_service.create_api_key(db_session=db_session, name=name)
    db_session.commit()
    return new


def logged_in_client(base_url: str, db_session: Session, username: str, role: str):
    """An HTTP client with the portal session cookie of a new staff member."""
    staff = create_staff(db_session, username, role)
    new = new_portal_session(db_session, staff)
    client = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False, verify=TLS_CHECK)
    client.cookies.set(SESSION_COOKIE, new.token)
    return client


def form_token(db_session: Session, client: httpx.Client) -> str:
    """The CSRF token the portal's forms carry for this client's session."""
    portal_session = auth_service.get_session_by_token(
        db_session=db_session, token=client.cookies.get(SESSION_COOKIE), now=utcnow()
    )
    assert portal_session is not None, "the client is not logged in"
    return portal_session.csrf_token
