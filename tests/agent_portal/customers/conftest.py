"""Fixtures of the customers tests: a database session beside the portal, an API key for
the provisioning API, staff members for the portal pages, and a sample customer."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.orm import Session

from tests.support.portal_data import (  # noqa: F401  (the customers tests import them here)
    STAFF_PASSWORD,
    add_customer,
    create_staff,
    database_session,
    logged_in_client,
    new_api_key,
)


@pytest.fixture
def api_key(db_session: Session) -> str:
    return new_api_key(db_session, "ISP back end").key


@pytest.fixture
def api(http: httpx.Client, api_key: str) -> httpx.Client:
    """The HTTP client of the ISP's back end: every request carries the API key."""
    http.headers["Authorization"] = f"Bearer {api_key}"
    return http
