"""FastAPI prepares each route once per test process, not once per app.

FastAPI prepares a route the first time a request looks at it, separately for every app:
it reads the signature of the endpoint and of each dependency, and evaluates their
annotations (strings, with `from __future__ import annotations`). The portal's programs
build one app per process, so they pay this once; the tests build one app per test (a
fresh database each), and the first request to a page near the end of the route table
paid a tenth of a second or more of processor time for it, in every one of the hundreds
of tests that serve the portal.

A function's signature and annotations do not change while the process runs, so the
typed signature FastAPI computes for a function is kept (as long as the function lives)
and given back the next time.

The rest of a route's preparation (its dependencies, the parameters' fields and their
validation, the response model, the handler: `_EffectiveRouteContext.from_api_route`)
depends only on the route and on how its router was included (prefix, dependencies,
tags...), and every test's app includes the same routers the same way. It is kept per
route and inclusion and given back to the next app: it cost about a quarter of the
processor time of the tests that serve the portal. One part of it names the app, the
provider of dependency overrides; the portal and its tests override no dependency, so
the first app's serves all, and an app that has overrides when its routes are prepared
gets routes of its own."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any

from fastapi import routing
from fastapi.dependencies import utils


def _remembered(compute: Callable[[Callable[..., Any]], Any]) -> Callable[..., Any]:
    known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def remembered(call: Callable[..., Any]) -> Any:
        try:
            return known[call]
        except KeyError:
            pass
        except TypeError:  # neither hashable nor weakly referable: computed each time
            return compute(call)
        value = compute(call)
        with suppress(TypeError):
            known[call] = value
        return value

    return remembered


def _prepared_once(prepare: Callable[..., Any]) -> Callable[..., Any]:
    """`_EffectiveRouteContext.from_api_route`, kept per route and inclusion. Inclusions
    are told apart by their value without the app (a dataclass compares its fields)."""
    known: dict[int, tuple[Any, list]] = {}  # id(route) -> (route, its preparations)

    def prepared(*, original_route, include_context):
        if getattr(include_context.dependency_overrides_provider, "dependency_overrides", None):
            return prepare(original_route=original_route, include_context=include_context)
        inclusion = replace(include_context, dependency_overrides_provider=None)
        _, contexts = known.setdefault(id(original_route), (original_route, []))
        for seen_inclusion, context in contexts:
            if seen_inclusion == inclusion:
                return context
        context = prepare(original_route=original_route, include_context=include_context)
        contexts.append((inclusion, context))
        return context

    return prepared


@contextmanager
def signatures_read_once() -> Iterator[None]:
    """While open, FastAPI's typed signatures and return annotations are read once per
    function, and each route is prepared once per inclusion (see the module's text)."""
    typed_signature = utils.get_typed_signature
    return_annotation = routing.get_typed_return_annotation
    utils.get_typed_signature = _remembered(typed_signature)
    routing.get_typed_return_annotation = _remembered(return_annotation)
    # A private part of FastAPI (0.165): another version without it prepares per app.
    contexts = getattr(routing, "_EffectiveRouteContext", None)
    from_api_route = contexts.__dict__.get("from_api_route") if contexts else None
    if from_api_route is not None:
        prepare = _prepared_once(from_api_route.__get__(None, contexts))
        contexts.from_api_route = staticmethod(prepare)
    try:
        yield
    finally:
        utils.get_typed_signature = typed_signature
        routing.get_typed_return_annotation = return_annotation
        if from_api_route is not None:
            contexts.from_api_route = from_api_route
