"""API keys: the ISP's back end authenticates its API calls with them; only a hash and a short
prefix are stored, revoked keys stop working, and each use is recorded."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from agent_portal.auth import service
from agent_portal.auth.errors import InvalidInput
from agent_portal.auth.models import ApiKey
from tests.agent_portal.auth.test_access_rules import endpoints


@pytest.fixture
def api_path(portal_app) -> str:
    """A GET route of the API, taken from the app's own routes."""
    for endpoint in endpoints(portal_app):
        if endpoint.rule.kind == "api_key" and endpoint.method == "GET":
            return endpoint.path
    pytest.fail("the app has no GET route protected by an API key")


def new_key(database, name: str = "billing") -> str:
    with database.session() as db_session:
        key = service.create_api_key(db_session=db_session, name=name).key
        db_session.commit()
        return key


def test_a_missing_key_is_named_as_missing(http, api_path):
    response = http.get(api_path)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("The API key is missing")
    assert response.headers["www-authenticate"] == "Bearer"
    empty_bearer = http.get(api_path, headers={"Authorization": "Bearer"})
    assert empty_bearer.json()["detail"].startswith("The API key is missing")


def test_a_wrong_key_is_not_valid(http, api_path, database):
    wrong = new_key(database)[:-4] + "abcd"
    for headers in ({"Authorization": f"Bearer {wrong}"}, {"X-API-Key": wrong}):
        response = http.get(api_path, headers=headers)
        assert response.status_code == 401
        assert response.json()["detail"] == (
            "The API key is not valid: it is unknown or has been revoked."
        )


def test_a_valid_key_passes_in_either_header_and_its_use_is_recorded(http, api_path, database):
    key = new_key(database)
    for headers in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
        assert http.get(api_path, headers=headers).status_code not in (401, 403)
    with database.session() as db_session:
        (api_key,) = service.list_api_keys(db_session=db_session)
        assert api_key.last_used_at is not None


def test_a_revoked_key_stops_working(http, api_path, database):
    key = new_key(database)
    headers = {"Authorization": f"Bearer {key}"}
    assert http.get(api_path, headers=headers).status_code != 401
    with database.session() as db_session:
        (api_key,) = service.list_api_keys(db_session=db_session)
        service.revoke_api_key(db_session=db_session, api_key_id=api_key.id)
        db_session.commit()
    response = http.get(api_path, headers=headers)
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_only_a_hash_and_a_prefix_are_stored(database):
    key = new_key(database)
    with database.session() as db_session:
        row = db_session.query(ApiKey).one()
        assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert row.prefix == key[:12] and key.startswith(row.prefix)
        stored = " ".join(
            str(value) for value in db_session.execute(text("SELECT * FROM api_keys")).one()
        )
    assert key not in stored
    assert len(key) > 40  # enough randomness that a fast hash is safe


def test_a_key_needs_a_sensible_name(database):
    with database.session() as db_session:
        for name, problem in [
            ("", "Give the API key a name"),
            ("   ", "Give the API key a name"),
            ("x" * 101, "too long"),
        ]:
            with pytest.raises(InvalidInput, match=problem):
                service.create_api_key(db_session=db_session, name=name)
        assert service.list_api_keys(db_session=db_session) == []
