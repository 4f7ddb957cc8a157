"""Ids in paths and queries are bounded where the request comes in: a number past what the
database holds is refused as bad input (422), never handed to the database, whose driver
would fail on it (a 500). One type, `agent_portal.params.Id`, says so for every route; the
route table is read from the app, so a new route with a bare `int` id fails here."""

from __future__ import annotations

import typing

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from agent_portal.auth import service as auth_service
from agent_portal.chat.models import Conversation
from agent_portal.params import MAX_ID, Id
from tests.agent_portal.auth.accounts import page_error
from tests.agent_portal.auth.test_access_rules import PATH_VALUES
from tests.agent_portal.knowledge import chats

# Past PostgreSQL's INTEGER, past SQLite's (and Python's sqlite3) 64-bit integers, and far
# past both.
HUGE = (2**31, 2**63, 2**64, 10**40)
# Numbers that are not ids: each must say its own bounds, within what the database holds.
# Numbers that are not ids but bounded all the same: counts, and amounts in minor units.
COUNTS = {"page", "limit", "min_price", "max_price"}


# The admin is not a linked device, nor an expert: those routes refuse before reading the
# id, which is as good as a 404 here (no server error); their ids are checked by their own
# domains' tests.
REFUSED_BEFORE_THE_ID = (401, 403)


def int_parameters(app):
    """(route, method, parameter name, annotation as written) of every int path or query
    parameter of every route, dependencies included."""
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        for dependant, field in _fields(route.dependant):
            if _base_type(field.field_info.annotation) is not int:
                continue
            call = dependant.call
            # A class dependency (a set of query parameters) declares them on __init__.
            signature_of = call.__init__ if isinstance(call, type) else call
            written = typing.get_type_hints(signature_of, include_extras=True)[field.name]
            yield route, field, written


def fill_path(route, *, huge: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The route's path with its parameters filled in, and the query parameters in `huge`."""
    path = route.path
    for param in route.dependant.path_params:
        path = path.replace(f"{{{param.name}}}", huge.get(param.name, PATH_VALUES[param.name]))
    query = {name: value for name, value in huge.items() if f"{{{name}}}" not in route.path}
    return path, query


def _fields(dependant):
    for field in (*dependant.path_params, *dependant.query_params):
        yield dependant, field
    for sub in dependant.dependencies:
        yield from _fields(sub)


def _base_type(annotation):
    arguments = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, type(int | None)) and len(arguments) == 1:
        return _base_type(arguments[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _base_type(arguments[0])
    return annotation


def _bounds(field) -> tuple[int | None, int | None]:
    low = high = None
    for item in field.field_info.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_id_parameter_is_the_bounded_id_type(portal_app):
    found = list(int_parameters(portal_app))
    assert found, "the route table has no int parameters: the walk is broken"
    wrong = []
    for route, field, written in found:
        if field.name in COUNTS:
            low, high = _bounds(field)
            if low is None or high is None or high > MAX_ID:
                wrong.append(f"{route.path} {field.name}: a count needs ge and le <= {MAX_ID}")
        elif written not in (Id, Id | None):
            wrong.append(f"{route.path} {field.name}: {written} instead of agent_portal.params.Id")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.slow  # every id parameter of every route, each with several numbers
def test_huge_ids_are_refused_as_bad_input_not_a_server_error(portal_app, client_for, database):
    admin = client_for("admin")
    token = database.csrf_token_of(admin)
    wrong = []
    for route, field, _written in int_parameters(portal_app):
        for method in sorted(route.methods - {"HEAD"}):
            for number in HUGE:
                path, query = fill_path(route, huge={field.name: str(number)})
                data = {"csrf_token": token} if method == "POST" else None
                try:
                    response = admin.request(method, path, params=query, data=data)
                except httpx.TransportError as broken:  # the server failed mid-answer
                    wrong.append(f"{method} {path} {query}: {broken!r}")
                    continue
                if response.status_code in REFUSED_BEFORE_THE_ID:
                    continue
                if response.status_code not in (404, 422):
                    wrong.append(f"{method} {path} {query}: {response.status_code}")
                elif response.status_code == 422 and field.name not in response.text:
                    wrong.append(f"{method} {path} {query}: 422 not naming {field.name}")
    assert wrong == [], "\n".join(wrong)


def test_a_huge_colleague_id_in_the_transfer_form_is_refused_and_changes_nothing(
    client_for, database
):
    admin = client_for("admin")
    with database.session() as db_session:
        me = auth_service.get_staff_by_username(db_session=db_session, username="admin1")
        owner = chats.customer(db_session)
        talk = chats.conversation(db_session, owner, [("customer", "No Wi-Fi")], agent=me)
        db_session.commit()
        conversation_id = talk.id
    token = database.csrf_token_of(admin)
    for number in HUGE:
        response = admin.post(
            f"/portal/chats/{conversation_id}/transfer",
            data={"csrf_token": token, "target": f"staff:{number}", "note": ""},
        )
        assert response.status_code == 409, (number, response.status_code)
        assert page_error(response.text) in (
            "There is no such colleague.",
            "Choose a colleague or a topic to hand the conversation to.",
        )
    with database.session() as db_session:
        kept = db_session.get(Conversation, conversation_id)
        assert kept.agent_id == me.id and kept.status == "active"
