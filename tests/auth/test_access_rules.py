"""Role checks on every route, read from the app's own route list: each route declares who may
use it, and every caller (anonymous, agent, expert, admin, API key) gets what that rule says,
over real HTTP with real logins. A new route without a rule, or with path parameters this
file has no value for, fails here."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from agent_portal.auth import service
from agent_portal.auth.access import AccessRule, access_rule, api_routes, csrf_check
from agent_portal.auth.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from agent_portal.database import utcnow
from tests.auth.accounts import ENGLISH, ROLES

# Plausible values for path parameters; the resource need not exist (a 404 is fine, the
# point is the role check).
PATH_VALUES = {
    "account_number": "1000001",
    "api_key_id": "999999",
    "staff_id": "999999",
    "customer_id": "999999",
    "device_id": "999999",
}
# Routes FastAPI and Starlette add themselves; they take no dependencies.
FRAMEWORK_PATHS = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/static"}
CALLERS = ("anonymous", *ROLES, "api_key")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # with path parameters filled in
    template: str
    rule: AccessRule
    csrf: str | None

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def fill_path(template: str, parameters: list[str]) -> str:
    missing = [name for name in parameters if name not in PATH_VALUES]
    assert not missing, (
        f"{template} has path parameters {missing} without a test value: add a plausible "
        f"value to PATH_VALUES in {__name__}"
    )
    path = template
    for name in parameters:
        path = path.replace(f"{{{name}}}", PATH_VALUES[name])
        path = path.replace(f"{{{name}:path}}", PATH_VALUES[name])
    return path


def endpoints(app) -> list[Endpoint]:
    table = []
    for route in api_routes(app.routes):
        rule = access_rule(route)
        assert rule is not None, (
            f"{route.path} declares no access rule: add require_staff(...), require_api_key() "
            "or public_route() to its dependencies"
        )
        path = fill_path(route.path, [param.name for param in route.dependant.path_params])
        for method in sorted(route.methods - {"HEAD"}):
            table.append(Endpoint(method, path, route.path, rule, csrf_check(route)))
    return table


def test_every_route_declares_an_access_rule(portal_app):
    undeclared = [
        route.path for route in api_routes(portal_app.routes) if access_rule(route) is None
    ]
    assert undeclared == [], f"routes without an access rule: {undeclared}"
    outside = [
        context.path
        for context in iter_route_contexts(portal_app.routes)
        if not isinstance(context.original_route, APIRoute) and context.path not in FRAMEWORK_PATHS
    ]
    assert outside == [], (
        f"routes outside FastAPI's dependencies cannot declare an access rule: {outside}"
    )


def test_state_changing_portal_routes_check_csrf(portal_app):
    unprotected = [
        str(endpoint)
        for endpoint in endpoints(portal_app)
        if endpoint.method in STATE_CHANGING
        and endpoint.rule.kind != "api_key"  # API calls carry a key, not cookies
        and endpoint.csrf is None
    ]
    assert unprotected == [], f"form routes without CSRF protection: {unprotected}"


@dataclass
class Caller:
    name: str
    client: httpx.Client


def sent_to_login(response: httpx.Response) -> bool:
    if response.status_code != 303:
        return False
    # A logout that worked also ends on the login page, with a notice saying so.
    target = urlsplit(response.headers["location"])
    return target.path == "/login" and "logged_out" not in target.query


def expected_outcome(rule: AccessRule, caller: str) -> str:
    if rule.kind == "public":
        return "allowed"
    if rule.kind == "api_key":
        return "allowed" if caller == "api_key" else "401"
    if caller in ("anonymous", "api_key"):
        return "login"
    return "allowed" if rule.allows_role(caller) else "403"


def outcome_matches(expected: str, response: httpx.Response, rule: AccessRule) -> bool:
    if expected == "401":
        return response.status_code == 401 and "API key" in response.json()["detail"]
    if expected == "403":
        return response.status_code == 403
    if expected == "login":
        return sent_to_login(response)
    # Allowed: the role check let it through; the resource itself may well be missing (404)
    # or the empty request incomplete (400/422).
    if response.status_code in (401, 403):
        return False
    return rule.kind == "public" or not sent_to_login(response)


@pytest.fixture
def callers(portal, database, client_for):
    made = {
        "anonymous": Caller(
            "anonymous", httpx.Client(base_url=portal.url, timeout=30, headers=ENGLISH)
        )
    }
    for role in ROLES:
        made[role] = Caller(role, client_for(role))
    with database.session() as db_session:
        key = service.create_api_key(db_session=db_session, name="role table").key
    made["api_key"] = Caller(
        "api_key",
        httpx.Client(base_url=portal.url, timeout=30, headers={"Authorization": f"Bearer {key}"}),
    )
    yield made
    made["anonymous"].client.close()
    made["api_key"].client.close()


def still_logged_in(database, client: httpx.Client) -> bool:
    with database.session() as db_session:
        live = service.get_session_by_token(
            db_session=db_session, token=client.cookies.get(SESSION_COOKIE), now=utcnow()
        )
    return live is not None


def call(endpoint: Endpoint, caller: Caller, database, client_for, callers) -> httpx.Response:
    if caller.name in ROLES and not still_logged_in(database, caller.client):
        # An earlier cell logged this caller out (POST /logout did its job): log in again.
        callers[caller.name] = caller = Caller(caller.name, client_for(caller.name))
    client = caller.client
    data = None
    if endpoint.method in STATE_CHANGING:
        data = {}
        if endpoint.csrf == "login":
            # Double submit: the same token in the pre-session cookie and in the form.
            client.cookies.set(LOGIN_CSRF_COOKIE, "role-table-token")
            data["csrf_token"] = "role-table-token"
        elif caller.name in ROLES:
            data["csrf_token"] = database.csrf_token_of(client)
    try:
        if endpoint.csrf is None and endpoint.method in STATE_CHANGING:
            return client.request(endpoint.method, endpoint.path, json={})
        return client.request(endpoint.method, endpoint.path, data=data)
    finally:
        client.cookies.delete(LOGIN_CSRF_COOKIE)


def test_every_route_answers_every_caller_by_its_rule(portal_app, database, client_for, callers):
    table = endpoints(portal_app)
    assert any(endpoint.rule.kind == "staff" for endpoint in table)
    wrong = []
    for endpoint in table:
        for caller_name in CALLERS:
            expected = expected_outcome(endpoint.rule, caller_name)
            response = call(endpoint, callers[caller_name], database, client_for, callers)
            if not outcome_matches(expected, response, endpoint.rule):
                location = response.headers.get("location", "")
                wrong.append(
                    f"{endpoint} as {caller_name}: expected {expected}, "
                    f"got {response.status_code} {location}".rstrip()
                )
    assert wrong == [], "\n".join(wrong)
