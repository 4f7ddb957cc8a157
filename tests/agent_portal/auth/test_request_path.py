"""What every request to the portal passes through costs little, and keeps working under
load: the middleware is plain ASGI (a `BaseHTTPMiddleware` runs each request in an extra
task with its own streams), nothing takes a worker thread that needs none, so the
liveness probe answers while every worker thread is busy, and each request's database
session gives its connection back when the request ends. (How fast is measured by
benchmarks/floor.py, not here.)"""

from __future__ import annotations

import threading
import time

import anyio.to_thread
import httpx
import pytest
from starlette.middleware.base import BaseHTTPMiddleware

from agent_portal.auth.deps import public_route
from tests.support.portal_data import TLS_CHECK, add_customer, database_session, logged_in_client

HOLD_PATH = "/test/hold-every-worker-thread"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_middleware_of_the_portal_is_a_base_http_middleware(portal_app):
    names = [entry.cls.__name__ for entry in portal_app.user_middleware]
    assert names, "the portal has middleware"
    slow = [entry.cls.__name__ for entry in portal_app.user_middleware if _is_base_http(entry)]
    assert slow == [], f"{slow}: write middleware as plain ASGI (see agent_portal/web/)"


def _is_base_http(entry) -> bool:
    return isinstance(entry.cls, type) and issubclass(entry.cls, BaseHTTPMiddleware)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_liveness_answers_while_every_worker_thread_is_busy(portal_app, portal, http):
    held, release = threading.Event(), threading.Event()

    def occupy() -> None:
        held.set()
        release.wait(30)

    @portal_app.get(HOLD_PATH, dependencies=[public_route()])
    async def hold_every_worker_thread() -> dict[str, bool]:
        # One worker thread in all, taken until the test lets go: like a server whose
        # threads all wait for a slow database.
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        await anyio.to_thread.run_sync(occupy)
        return {"released": True}

    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=60) as other:
        holder = threading.Thread(target=other.get, args=(HOLD_PATH,))
        holder.start()
        try:
            assert held.wait(20), "the worker thread was not taken"
            # Generous: the probe waits for no thread, so it answers at once; on the old
            # path it waited until the thread came free (here: never, within the test).
            response = http.get("/healthz", timeout=10)
            assert response.status_code == 200
            assert response.json() == {"status": "ok"}
        finally:
            release.set()
            holder.join(30)


def test_each_request_gives_its_database_connection_back(portal_app, portal, database_url):
    sessions = database_session(database_url)
    db_session = next(sessions)
    add_customer(db_session, "K-100001")
    staff = logged_in_client(portal.url, db_session, "anna.agent", "agent")
    with staff:
        for _round in range(5):
            assert staff.get("/portal/customers/K-100001").status_code == 200
            assert staff.get("/portal/customers/K-404404").status_code == 404
            assert staff.get("/readyz").status_code == 200
    sessions.close()
    pool = portal_app.state.engine.pool
    deadline = time.monotonic() + 10
    while pool.checkedout() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.checkedout() == 0, pool.status()
