"""The admin page: staff and API keys listed, keys created (shown once) and revoked; bad
input gets a clear message and stores nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from agent_portal.auth import service
from agent_portal.auth.models import StaffMember
from tests.agent_portal.auth.accounts import page_error, page_notice

KEY_PATTERN = re.compile(r'value="(isp_[A-Za-z0-9_-]+)"')


def test_admin_sees_staff_and_keys(client_for, database):
    admin = client_for("admin")
    database.create_staff("bert", "expert", display_name="Bert Berater")
    with database.session() as db_session:
        service.create_api_key(db_session=db_session, name="billing system")
        db_session.commit()
    page = admin.get("/portal/admin")
    assert page.status_code == 200
    for text in ("admin1", "Admin Tester", "bert", "Bert Berater", "Expert", "Administrator"):
        assert text in page.text
    assert "billing system" in page.text
    assert "never" in page.text  # bert has not logged in, the key is unused


def test_times_on_the_admin_page_are_in_the_portals_time_zone_and_language(client_for, database):
    """Stored in UTC, shown like every other time of the portal: in its zone (Berlin here,
    an hour ahead in January), in the reader's language."""
    admin = client_for("admin")
    bert = database.create_staff("bert", "expert", display_name="Bert Berater")
    with database.session() as db_session:
        db_session.get(StaffMember, bert.id).last_login_at = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        db_session.commit()
        key = service.create_api_key(db_session=db_session, name="old crm").api_key
        service.revoke_api_key(db_session=db_session, api_key_id=key.id)
        db_session.commit()
    english = admin.get("/portal/admin").text
    assert "Jan 5, 2026, 11:00" in english
    assert ">2026-01-05 10:00<" not in english and "(UTC)" not in english
    assert "Last login" in english
    german = admin.get("/portal/admin?lang=de").text
    assert "05.01.2026, 11:00" in german and "(UTC)" not in german
    revoked = re.search(r"widerrufen am ([^<]*)<", german).group(1)
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", revoked)  # a German date


def test_admin_creates_a_key_that_is_shown_once_and_works(client_for, database):
    admin = client_for("admin")
    token = database.csrf_token_of(admin)
    answer = admin.post("/portal/admin/api-keys", data={"csrf_token": token, "name": "crm"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/portal/admin")
    assert "isp_" not in answer.headers["location"]
    created = admin.get(answer.headers["location"])
    assert created.headers["cache-control"] == "no-store"
    assert "shown only this once" in page_notice(created.text)
    (key,) = KEY_PATTERN.findall(created.text)
    with database.session() as db_session:
        assert service.verify_api_key(db_session=db_session, key=key) is not None
    reloaded = admin.get("/portal/admin")
    assert key not in reloaded.text
    assert key[:12] in reloaded.text  # the prefix tells keys apart
    with database.session() as db_session:
        assert len(service.list_api_keys(db_session=db_session)) == 1  # made once


def test_admin_revokes_a_key(client_for, database):
    admin = client_for("admin")
    with database.session() as db_session:
        new = service.create_api_key(db_session=db_session, name="old crm")
        db_session.commit()
    response = admin.post(
        f"/portal/admin/api-keys/{new.api_key.id}/revoke",
        data={"csrf_token": database.csrf_token_of(admin)},
    )
    assert response.status_code == 303
    page = admin.get(response.headers["location"])
    assert page_notice(page.text) == "The API key “old crm” has been revoked."
    assert "revoked on" in page.text
    with database.session() as db_session:
        assert service.verify_api_key(db_session=db_session, key=new.key) is None


def test_a_key_without_a_name_is_refused_and_nothing_is_stored(client_for, database):
    admin = client_for("admin")
    token = database.csrf_token_of(admin)
    for name, message in [
        ("  ", "Give the API key a name, e.g. the system that will use it."),
        ("x" * 101, "The name is too long: at most 100 characters, not 101."),
    ]:
        response = admin.post("/portal/admin/api-keys", data={"csrf_token": token, "name": name})
        assert response.status_code == 400
        assert page_error(response.text) == message
    with database.session() as db_session:
        assert service.list_api_keys(db_session=db_session) == []


def test_revoking_an_unknown_key_says_so(client_for, database):
    admin = client_for("admin")
    response = admin.post(
        "/portal/admin/api-keys/424242/revoke", data={"csrf_token": database.csrf_token_of(admin)}
    )
    assert response.status_code == 404
    assert page_error(response.text) == "There is no such API key."


def test_other_roles_get_a_friendly_page(client_for):
    agent = client_for("agent")
    response = agent.get("/portal/admin")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text
    assert "This page is for: Administrator." in response.text
    assert "You are logged in as Agent Tester (Hotline agent)" in response.text


# HTML pages over HTTP: on SQLite only unless asked (tests/conftest.py).
pytestmark = pytest.mark.pages
