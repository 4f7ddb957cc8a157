"""Access rules: every route declares who may use it, through exactly one of the
dependencies `require_staff(...)`, `require_api_key()` or `public_route()` in
`agent_portal.auth.deps`, or `require_device()` / `require_device_signature()` in
`agent_portal.devices.deps` (requests signed with a device's key: the assistant's API),
or an endpoint decorated with `@public` (open, at no cost per request). Each of those
carries an `AccessRule` on its callable, so the rule of any route can be read back (and a
test can check every route has one).

A route whose path names a resource that belongs to some staff members and not others (a
conversation) also declares the relation the caller must have to it, with a dependency
that carries its name in `RELATION_ATTRIBUTE` (e.g. `chat.deps.require_conversation`);
`relations(route)` reads them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from fastapi.routing import APIRoute, iter_route_contexts

ACCESS_RULE_ATTRIBUTE = "__access_rule__"
CSRF_ATTRIBUTE = "__csrf_check__"
RELATION_ATTRIBUTE = "__relation__"

AccessKind = Literal["staff", "api_key", "device", "public"]
CsrfKind = Literal["session", "login"]


@dataclass(frozen=True)
class AccessRule:
    kind: AccessKind
    # For kind "staff": the roles allowed; empty means every logged-in staff member.
    roles: frozenset[str] = frozenset()

    def allows_role(self, role: str) -> bool:
        return self.kind == "staff" and (not self.roles or role in self.roles)


class AccessRuleConflict(Exception):
    """A route declares more than one access rule."""


def _dependency_calls(route) -> list:
    """The route's dependencies, and its endpoint (which `@public` marks)."""
    return [dependant.call for dependant in route.dependant.dependencies] + [route.dependant.call]


def access_rule(route) -> AccessRule | None:
    """The access rule a route declares (an APIRoute, or a route context from
    `fastapi.routing.iter_route_contexts`, which includes router dependencies); None when
    it declares none."""
    rules = {
        getattr(call, ACCESS_RULE_ATTRIBUTE)
        for call in _dependency_calls(route)
        if hasattr(call, ACCESS_RULE_ATTRIBUTE)
    }
    if len(rules) > 1:
        raise AccessRuleConflict(f"{route.path} declares several access rules: {rules}")
    return rules.pop() if rules else None


def relations(route) -> list[str]:
    """The names of the relations a route checks (see the module's notes)."""
    return [
        getattr(call, RELATION_ATTRIBUTE)
        for call in _dependency_calls(route)
        if hasattr(call, RELATION_ATTRIBUTE)
    ]


def csrf_check(route) -> CsrfKind | None:
    """Which CSRF check guards the route's form, if any."""
    for call in _dependency_calls(route):
        kind = getattr(call, CSRF_ATTRIBUTE, None)
        if kind is not None:
            return kind
    return None


def api_routes(routes) -> Iterator:
    """Every FastAPI route of an app, with router prefixes and dependencies applied."""
    for context in iter_route_contexts(routes):
        if isinstance(context.original_route, APIRoute):
            yield context
