"""The portal's OpenAPI description (`/openapi.json`, `/docs`): what FastAPI derives from the
routes, plus the refusals every route of a kind shares, so the description says what the
server really answers without each route having to remember them:

- 422 on every route that takes parameters or a body: an `ApiErrorBody` whose `errors`
  name each field (FastAPI would describe its own `HTTPValidationError`, which this server
  never sends: `app._validation_error` answers instead);
- 400 and 413 on every route that takes a body: it cannot be read (not JSON in UTF-8), or
  it is larger than the route accepts (`agent_portal.web.body_limits`);
- 401 on every route behind an API key or a device's signature (its access rule).

A route's own refusals (`api_errors.refusals(...)`: 403, 409, 429, ...) are declared where
the route is, and win over these when both name a status.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from agent_portal.auth.access import access_rule, api_routes
from isp_common.premium_wire import ApiErrorBody

ERROR_BODY_REF = {"$ref": f"#/components/schemas/{ApiErrorBody.__name__}"}
FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")

INVALID = "The request is not valid: `errors` names each field and what is wrong with it"
UNREADABLE = "The body cannot be read: it is not JSON in UTF-8"
TOO_LARGE = "The body is larger than this route accepts (`max_bytes`); it was not read"
UNAUTHORISED = {
    "api_key": "The API key is missing, unknown or revoked",
    "device": "Not signed by a linked device (`code` says what is wrong)",
}


def install(app: FastAPI) -> None:
    """Makes `app.openapi()` describe the shared refusals too."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            add_shared_refusals(generate(), app)
        return app.openapi_schema

    app.openapi = openapi


def add_shared_refusals(spec: dict[str, Any], app: FastAPI) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_error_body_schemas())
    for route in api_routes(app.routes):
        operations = spec["paths"].get(route.path_format, {})
        for method in route.methods:
            operation = operations.get(method.lower())
            if operation is not None:
                _declare(operation["responses"], shared_refusals(route))


def shared_refusals(route) -> dict[int, str]:
    """The statuses a route answers by its kind, with what each means."""
    refusals = {}
    takes_input = route.dependant.path_params or route.dependant.query_params
    if takes_input or route.body_field is not None:
        refusals[422] = INVALID
    if route.body_field is not None:
        refusals[400] = UNREADABLE
        refusals[413] = TOO_LARGE
    rule = access_rule(route)
    if rule is not None and rule.kind in UNAUTHORISED:
        refusals[401] = UNAUTHORISED[rule.kind]
    return refusals


def _declare(responses: dict[str, Any], refusals: dict[int, str]) -> None:
    for status, description in refusals.items():
        declared = responses.get(str(status))
        if declared is not None and _is_error_body(declared):
            # The route's own, more precise description; a 422 of its own (a code in the
            # wrong format, say) comes on top of the validation every route does.
            if status == 422:
                declared["description"] += f"; or: {description}"
            continue
        responses[str(status)] = {
            "description": description,
            "content": {"application/json": {"schema": ERROR_BODY_REF}},
        }


def _is_error_body(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return schema == ERROR_BODY_REF


def _error_body_schemas() -> dict[str, Any]:
    schema = ApiErrorBody.model_json_schema(
        ref_template="#/components/schemas/{model}", mode="serialization"
    )
    nested = schema.pop("$defs", {})
    return {ApiErrorBody.__name__: schema, **nested}
