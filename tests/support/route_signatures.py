"""FastAPI reads each function's signature once per test process, not once per app.

FastAPI prepares a route the first time a request looks at it, separately for every app:
it reads the signature of the endpoint and of each dependency, and evaluates their
annotations (strings, with `from __future__ import annotations`). The portal's programs
build one app per process, so they pay this once; the tests build one app per test (a
fresh database each), and the first request to a page near the end of the route table
paid a tenth of a second or more of processor time for it, in every one of the hundreds
of tests that serve the portal.

A function's signature and annotations do not change while the process runs, so the
typed signature FastAPI computes for a function is kept (as long as the function lives)
and given back the next time. Everything else FastAPI derives per app (the dependencies,
the parameters' fields and validation, the handlers) is still built for each app."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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


@contextmanager
def signatures_read_once() -> Iterator[None]:
    """While open, FastAPI's typed signatures and return annotations are read once per
    function (see the module's text)."""
    typed_signature = utils.get_typed_signature
    return_annotation = routing.get_typed_return_annotation
    utils.get_typed_signature = _remembered(typed_signature)
    routing.get_typed_return_annotation = _remembered(return_annotation)
    try:
        yield
    finally:
        utils.get_typed_signature = typed_signature
        routing.get_typed_return_annotation = return_annotation
