"""Fixtures of the customers tests: a database session beside the portal, an API key for
the provisioning API, staff members for the portal pages, and a sample customer."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from agent_portal.auth import service as auth_service
from tests.support.portal_data import (  # noqa: F401  (the customers tests import them here)
    STAFF_PASSWORD,
    add_customer,
    create_staff,
    database_session,
    logged_in_client,
)


@pytest.fixture
def api_key(db_session: Session) -> str:
    return auth_service.create_api_key(db_session=db_session, name="ISP back end").key


@pytest.fixture
def api(http: httpx.Client, api_key: str) -> httpx.Client:
    """The HTTP client of the ISP's back end: every request carries the API key."""
    http.headers["Authorization"] = f"Bearer {api_key}"
    return http
