"""CSRF: every form route refuses a post without the right token, and nothing changes."""

from __future__ import annotations

import httpx
import pytest

from agent_portal.auth import service
from agent_portal.auth.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from tests.agent_portal.auth.accounts import ENGLISH, PASSWORD, login_form_token
from tests.agent_portal.auth.test_access_rules import endpoints
from tests.support.portal_data import TLS_CHECK

BAD_TOKENS = {"without a token": None, "with a wrong token": "not-the-token"}


def form_routes(app):
    return [endpoint for endpoint in endpoints(app) if endpoint.csrf is not None]


def allowed_role(endpoint) -> str:
    roles = endpoint.rule.roles
    return "admin" if not roles or "admin" in roles else sorted(roles)[0]


@pytest.mark.parametrize("problem", list(BAD_TOKENS))
def test_every_form_route_refuses_a_missing_or_wrong_token(portal_app, portal, client_for, problem):
    routes = form_routes(portal_app)
    assert {endpoint.template for endpoint in routes} >= {"/login", "/logout"}
    refused = []
    # One logged-in client per role serves every route: each post is refused, so none of
    # them changes the session (a post that got through fails the test anyway).
    staff_clients: dict[str, httpx.Client] = {}
    for endpoint in routes:
        if endpoint.csrf == "login":
            client = httpx.Client(
                verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH
            )
            login_form_token(client)  # the browser holds the pre-session cookie
        else:
            role = allowed_role(endpoint)
            client = staff_clients.get(role) or staff_clients.setdefault(role, client_for(role))
        data = {"username": "nobody", "password": PASSWORD, "name": "x"}
        if BAD_TOKENS[problem] is not None:
            data["csrf_token"] = BAD_TOKENS[problem]
        response = client.request(endpoint.method, endpoint.path, data=data)
        if endpoint.csrf == "login":
            client.close()
        if response.status_code != 403:
            refused.append(f"{endpoint}: {response.status_code}")
        elif "security token" not in response.text and "form had expired" not in response.text:
            refused.append(f"{endpoint}: 403 without saying why")
    assert refused == [], f"form routes that accepted a post {problem}: {refused}"


def test_logout_without_token_keeps_the_session(client_for):
    admin = client_for("admin")
    for token in BAD_TOKENS.values():
        data = {} if token is None else {"csrf_token": token}
        response = admin.post("/logout", data=data)
        assert response.status_code == 403
        assert "security token" in response.text
    assert admin.get("/portal/admin").status_code == 200


def test_api_key_creation_without_token_creates_none(client_for, database):
    admin = client_for("admin")
    for token in BAD_TOKENS.values():
        data = {"name": "billing"} if token is None else {"name": "billing", "csrf_token": token}
        assert admin.post("/portal/admin/api-keys", data=data).status_code == 403
    with database.session() as db_session:
        assert service.list_api_keys(db_session=db_session) == []


def test_revoking_with_another_sessions_token_revokes_nothing(client_for, database):
    first, second = client_for("admin"), client_for("admin")
    with database.session() as db_session:
        api_key = service.create_api_key(db_session=db_session, name="billing").api_key
        db_session.commit()
    foreign_token = database.csrf_token_of(second)
    response = first.post(
        f"/portal/admin/api-keys/{api_key.id}/revoke", data={"csrf_token": foreign_token}
    )
    assert response.status_code == 403
    with database.session() as db_session:
        assert not service.get_api_key(db_session=db_session, api_key_id=api_key.id).is_revoked


def test_login_with_a_forged_token_logs_nobody_in(http, database):
    database.create_staff("anna", "agent")
    login_form_token(http)
    response = http.post(
        "/login", data={"csrf_token": "forged", "username": "anna", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "The login form had expired" in response.text
    assert SESSION_COOKIE not in response.cookies
    # The page offers a fresh form, so trying again simply works.
    assert LOGIN_CSRF_COOKIE in response.cookies
    with database.session() as db_session:
        member = service.get_staff_by_username(db_session=db_session, username="anna")
        assert service.count_sessions(db_session=db_session, staff_id=member.id) == 0
