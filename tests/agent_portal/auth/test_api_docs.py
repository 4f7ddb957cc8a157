"""The API description and its viewers (`/openapi.json`, `/docs`, `/redoc`): by default
for logged-in staff only, open to everyone or switched off by `PORTAL_API_DOCS`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from agent_portal.app import create_app
from agent_portal.config import PortalSettings
from tests.agent_portal.auth.accounts import ENGLISH, log_in
from tests.support.live_server import LiveServer
from tests.support.portal_data import TLS_CHECK

DOCS = ("/openapi.json", "/docs", "/redoc")


@contextmanager
def portal_with(settings, api_docs: str) -> Iterator[str]:
    app = create_app(settings.model_copy(update={"api_docs": api_docs}))
    server = LiveServer(app).start()
    try:
        yield server.url
    finally:
        server.stop()
        app.state.engine.dispose()


def test_by_default_only_logged_in_staff_read_the_api_docs(portal, database):
    database.create_staff("erik", "expert")
    with httpx.Client(
        verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
    ) as anonymous:
        for path in DOCS:
            answer = anonymous.get(path)
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith(f"/login?next=%2F{path[1:]}"), path
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH) as staff:
        assert log_in(staff, "erik").status_code == 303
        description = staff.get("/openapi.json")
        assert description.status_code == 200
        assert "/api/v1/provisioning/customers/{account_number}" in description.json()["paths"]
        assert "swagger-ui" in staff.get("/docs").text
        assert "redoc" in staff.get("/redoc").text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_public_api_docs_are_open_to_everyone(settings):
    with (
        portal_with(settings, "public") as url,
        httpx.Client(verify=TLS_CHECK, base_url=url, timeout=30) as client,
    ):
        for path in DOCS:
            assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_docs_switched_off_are_not_found_even_for_staff(settings, database):
    database.create_staff("erik", "admin")
    with (
        portal_with(settings, "off") as url,
        httpx.Client(verify=TLS_CHECK, base_url=url, timeout=30) as client,
    ):
        for path in DOCS:
            assert client.get(path).status_code == 404, path
        assert log_in(client, "erik").status_code == 303
        for path in DOCS:
            assert client.get(path).status_code == 404, path


def test_an_unknown_setting_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="'staff', 'public' or 'off'"):
        PortalSettings(_env_file=None, api_docs="everyone")
