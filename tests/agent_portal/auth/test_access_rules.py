"""Role checks on every route, read from the app's own route list: each route declares who may
use it, and every caller (anonymous, agent, expert, admin, API key) gets what that rule says,
over real HTTP with real logins. A new route without a rule, or with path parameters this
file has no value for, fails here."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts

from agent_portal.auth import service
from agent_portal.auth.access import AccessRule, access_rule, api_routes, csrf_check, relations
from agent_portal.auth.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from agent_portal.database import utcnow
from tests.agent_portal.auth.accounts import ENGLISH, ROLES
from tests.support.portal_data import TLS_CHECK

# Who may call a route is decided before any database work: what the routes then do to
# either database is tested by their own tests.
pytestmark = pytest.mark.sqlite_only

# Plausible values for path parameters; the resource need not exist (a 404 is fine, the
# point is the role check).
PATH_VALUES = {
    "account_number": "1000001",
    "api_key_id": "999999",
    "staff_id": "999999",
    "customer_id": "999999",
    "device_id": "999999",
    "code_id": "999999",
    "article_id": "999999",
    "conversation_id": "999999",
    "attachment_id": "999999",
    "report_id": "999999",
    "offer_id": "999999",
    "expert_id": "999999",
    "profile_id": "999999",
    "photo_id": "999999",
    "category_id": "999999",
    "appointment_id": "999999",
    "session_id": "999999",
    "rating_id": "999999",
    "invoice_id": "999999",
    "period": "2026-11",
    "consent_id": "00000000000000000000000000000000",
}
# Path parameters that name what only some staff members may see (a customer's
# conversation): a route with one declares the relation its caller needs to it, besides
# the role. The relation itself is tested in tests/agent_portal/chat/test_conversation_access.py.
RELATION_PARAMETERS = {"conversation_id": "conversation", "consent_id": "screen view"}
# Routes Starlette adds itself; they take no dependencies. FastAPI's own API docs are not
# among them: the portal serves those as routes with an access rule (`api_docs`), and the
# built-in ones, open to everyone, would fail here.
FRAMEWORK_PATHS = {"/static"}
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
    sockets = list(websocket_routes(portal_app.routes))
    assert sockets, "the WebSocket routes are missing from the table"
    undeclared_sockets = [route.path for route in sockets if access_rule(route) is None]
    assert undeclared_sockets == [], (
        f"WebSocket routes without an access rule: {undeclared_sockets}"
    )
    outside = [
        context.path
        for context in iter_route_contexts(portal_app.routes)
        if not isinstance(context.original_route, APIRoute | APIWebSocketRoute)
        and context.path not in FRAMEWORK_PATHS
    ]
    assert outside == [], (
        f"routes outside FastAPI's dependencies cannot declare an access rule: {outside}"
    )


def test_routes_that_name_a_conversation_declare_the_relation_to_it(portal_app):
    undeclared = []
    for route in api_routes(portal_app.routes):
        declared = {name.split(":")[0] for name in relations(route)}
        for param in route.dependant.path_params:
            needed = RELATION_PARAMETERS.get(param.name)
            if needed is not None and needed not in declared:
                undeclared.append(f"{route.path} ({needed})")
    assert undeclared == [], f"routes without their relation to what they name: {undeclared}"


def test_state_changing_portal_routes_check_csrf(portal_app):
    unprotected = [
        str(endpoint)
        for endpoint in endpoints(portal_app)
        if endpoint.method in STATE_CHANGING
        # API calls carry a key or a device's signature, not cookies
        and endpoint.rule.kind not in ("api_key", "device")
        and endpoint.csrf is None
    ]
    assert unprotected == [], f"form routes without CSRF protection: {unprotected}"


STAFF_PAGES = [
    ("GET", "/portal/admin/staff"),
    ("POST", "/portal/admin/staff"),
    ("GET", "/portal/admin/staff/{staff_id}"),
    ("POST", "/portal/admin/staff/{staff_id}"),
    ("POST", "/portal/admin/staff/{staff_id}/deactivate"),
    ("POST", "/portal/admin/staff/{staff_id}/reactivate"),
    ("POST", "/portal/admin/staff/{staff_id}/password"),
]
ANY_STAFF = [("GET", path) for path in ("/openapi.json", "/docs", "/redoc", "/portal/password")]


def test_the_staff_pages_are_for_admins_and_the_api_docs_for_staff(portal_app):
    """The table below runs every route; these are the rules it must find for them."""
    rules = {(endpoint.method, endpoint.template): endpoint for endpoint in endpoints(portal_app)}
    for key in STAFF_PAGES:
        endpoint = rules[key]
        assert endpoint.rule.kind == "staff", key
        assert [role for role in ROLES if endpoint.rule.allows_role(role)] == ["admin"], key
        assert key[0] == "GET" or endpoint.csrf == "session", key
    for key in [*ANY_STAFF, ("POST", "/portal/password")]:
        endpoint = rules[key]
        assert endpoint.rule.kind == "staff", key
        assert all(endpoint.rule.allows_role(role) for role in ROLES), key


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
    if rule.kind == "device":
        return "401 device"  # no caller here signs with a linked device's key
    if caller in ("anonymous", "api_key"):
        return "login"
    return "allowed" if rule.allows_role(caller) else "403"


def outcome_matches(expected: str, response: httpx.Response, rule: AccessRule) -> bool:
    if expected == "401":
        return response.status_code == 401 and "API key" in response.json()["detail"]
    if expected == "401 device":
        return response.status_code == 401 and response.json()["code"] == "device_auth_missing"
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
            "anonymous",
            httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=ENGLISH),
        )
    }
    for role in ROLES:
        made[role] = Caller(role, client_for(role))
    with database.session() as db_session:
        key = service.create_api_key(db_session=db_session, name="role table").key
        db_session.commit()
    made["api_key"] = Caller(
        "api_key",
        httpx.Client(
            verify=TLS_CHECK,
            base_url=portal.url,
            timeout=30,
            headers={"Authorization": f"Bearer {key}"},
        ),
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


@pytest.mark.slow  # every route called by every kind of caller
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


# --- WebSocket routes ----------------------------------------------------------------


def websocket_routes(routes):
    for context in iter_route_contexts(routes):
        if isinstance(context.original_route, APIWebSocketRoute):
            yield context


def socket_outcome(portal, route, caller: Caller) -> str:
    """ "refused" (the handshake answered 403), "open", or for a device channel what the
    server said to a hello none of these callers can sign: "device refused"."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    headers = {"Origin": portal.url}
    cookie = "; ".join(f"{name}={value}" for name, value in caller.client.cookies.items())
    if cookie:
        headers["Cookie"] = cookie
    headers.update({k: v for k, v in caller.client.headers.items() if k.lower() == "authorization"})
    url = portal.url.replace("http://", "ws://") + route.path
    try:
        with connect(url, additional_headers=headers) as socket:
            if route.path != "/ws/device":
                return "open"
            socket.recv(timeout=10)  # the challenge
            socket.send('{"type": "hello", "device_id": "x", "public_key": "", "signature": ""}')
            answer = socket.recv(timeout=10)
            return "device refused" if '"refused"' in answer else f"device said {answer}"
    except InvalidStatus as refused:
        return "refused" if refused.response.status_code == 403 else str(refused)


def expected_socket_outcome(rule: AccessRule, caller: str) -> str:
    if rule.kind == "device":
        return "device refused"  # no cookie or API key replaces the device's signature
    staff = rule.kind == "staff" and caller in ROLES and rule.allows_role(caller)
    return "open" if staff else "refused"


def test_every_websocket_route_answers_every_caller_by_its_rule(portal, portal_app, callers):
    wrong = []
    for route in websocket_routes(portal_app.routes):
        rule = access_rule(route)
        for caller_name in CALLERS:
            expected = expected_socket_outcome(rule, caller_name)
            got = socket_outcome(portal, route, callers[caller_name])
            if got != expected:
                wrong.append(f"{route.path} as {caller_name}: expected {expected}, got {got}")
    assert wrong == [], "\n".join(wrong)
