"""The server's floor: what the portal's requests cost next to a bare FastAPI app, in one run.

Three routes, each on both servers:

- `/healthz`, the cheapest route: what every request pays before a route does any work
  (middleware, dependencies, routing);
- `GET /api/v1/provisioning/customers/{account}` with an API key: an authenticated API
  route reading one customer;
- `/portal/customers/{account}` with a staff member's session cookie: a portal page.

The portal runs as it does in production (its app on uvicorn, one worker) on a fresh
database (SQLite in a temporary folder; with `--database-url` a new database on that
PostgreSQL server, dropped at the end). The bare app is FastAPI with the same three
paths: it checks the same header or cookie is present and answers the bytes the portal
answered, so it pays for nothing but the framework. Both run with the same uvicorn
settings (access log off) in processes of their own.

The load comes from `wrk` (Debian's `wrk` package), one thread and `--connections` open
connections, so the client costs a fraction of what the server does. Each route runs in
`--rounds` turns on the two servers, and each figure is its best round's: a busy spell of
the machine's other work slows a round, it never speeds one up. Reported per route
and server: requests per second, the server's CPU time per request (psutil on its pid:
steadier than a rate on a shared machine), how busy the server was (a bare server well
below one busy core means the client, not the server, set the pace) and the client's CPU
time per request. The last line is one JSON object with `health_ratio`, `api_ratio` and
`page_ratio`: the portal's requests per second over the bare app's. Goal: `health_ratio`
0.7 or more; `--check` exits 1 when it is missed. Any answer other than 200 exits 1.

    .venv/bin/python benchmarks/floor.py [--seconds 5] [--rounds 3] [--connections 16]
                                         [--database-url postgresql+psycopg://...] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import psutil
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from scratch_database import scratch_database

GOAL_HEALTH_RATIO = 0.7
BUSY_ENOUGH = 0.8  # share of one core a saturated single-worker server keeps busy
ACCOUNT = "K-100001"
HEALTH_PATH = "/healthz"
API_PATH = f"/api/v1/provisioning/customers/{ACCOUNT}"
PAGE_PATH = f"/portal/customers/{ACCOUNT}"
SESSION_COOKIE = "portal_session"  # agent_portal.auth.deps.SESSION_COOKIE


@dataclass(frozen=True)
class Credentials:
    api_key: str
    session_token: str


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    headers: dict[str, str]


@dataclass
class Measured:
    requests: int
    not_ok: int
    seconds: float
    server_cpu_seconds: float
    client_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms(self) -> float:
        return self.server_cpu_seconds / max(self.requests, 1) * 1000

    @property
    def client_cpu_ms(self) -> float:
        return self.client_cpu_seconds / max(self.requests, 1) * 1000

    @property
    def server_busy(self) -> float:
        """Share of one core the server kept busy during the run."""
        return self.server_cpu_seconds / self.seconds if self.seconds else 0.0


@dataclass
class BestOf:
    """The rounds of one route on one server: a neighbour's burst of work slows some, so
    each figure is its best round's (highest rate, least CPU)."""

    runs: list[Measured]

    @property
    def per_second(self) -> float:
        return max(run.per_second for run in self.runs)

    @property
    def server_cpu_ms(self) -> float:
        return min(run.server_cpu_ms for run in self.runs)

    @property
    def client_cpu_ms(self) -> float:
        return min(run.client_cpu_ms for run in self.runs)

    @property
    def server_busy(self) -> float:
        return max(run.server_busy for run in self.runs)

    @property
    def failed(self) -> bool:
        return any(run.not_ok or not run.requests for run in self.runs)


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    return {**os.environ, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_DATABASE_URL": database_url}


def seed() -> Credentials:
    """An agent with a live session, an API key and one customer (settings from the
    environment, as the served portal reads them)."""
    from agent_portal.app import create_app
    from agent_portal.auth import service as staff_service
    from agent_portal.config import PortalSettings
    from agent_portal.customers import service as customers
    from agent_portal.customers.schemas import CustomerIn
    from agent_portal.database import utcnow

    settings = PortalSettings(_env_file=None)
    app = create_app(settings)
    with app.state.session_factory() as db_session:
        agent = staff_service.create_staff(
            db_session=db_session,
            username="benchmark.agent",
            password="benchmark password",
            role="agent",
            display_name="Benchmark Agent",
        )
        session = staff_service.create_session(
            db_session=db_session, staff=agent, lifetime=timedelta(hours=2), now=utcnow()
        )
        api_key = staff_service.create_api_key(db_session=db_session, name="benchmark")
        customers.save(
            db_session=db_session,
            account_number=ACCOUNT,
            customer_in=CustomerIn(name="Erika Musterfrau", email="erika@example.de"),
            time_zone=settings.time_zone,
        )
        db_session.commit()
    app.state.engine.dispose()
    return Credentials(api_key=api_key.key, session_token=session.token)


def routes(credentials: Credentials) -> list[Route]:
    return [
        Route("healthz", HEALTH_PATH, {}),
        Route("API", API_PATH, {"Authorization": f"Bearer {credentials.api_key}"}),
        Route("page", PAGE_PATH, {"Cookie": f"{SESSION_COOKIE}={credentials.session_token}"}),
    ]


def portal_app():
    from agent_portal.app import create_app
    from agent_portal.config import PortalSettings

    return create_app(PortalSettings(_env_file=None))


# (Request is imported at the top: FastAPI resolves the annotations in the module.)
def bare_app(answers_file: Path) -> FastAPI:
    """FastAPI with the portal's three paths, answering what the portal answered."""
    answers = json.loads(answers_file.read_text())
    app = FastAPI()

    @app.get(HEALTH_PATH)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/provisioning/customers/{account_number}")
    async def customer(account_number: str, request: Request) -> Response:
        if not request.headers.get("authorization"):
            return Response(status_code=401)
        return Response(answers["API"], media_type="application/json")

    @app.get("/portal/customers/{account_number}")
    async def customer_page(account_number: str, request: Request) -> Response:
        if SESSION_COOKIE not in request.cookies:
            return Response(status_code=303)
        return HTMLResponse(answers["page"])

    return app


def serve(which: str, port: int, answers_file: Path) -> None:
    import uvicorn

    app = portal_app() if which == "portal" else bare_app(answers_file)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def start_server(which: str, answers_file: Path, env: dict[str, str]) -> tuple:
    port = free_port()
    command = [sys.executable, __file__, "--serve", which, str(port), str(answers_file)]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parent.parent)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=1) as client:  # one for all tries: each builds a TLS context
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"the {which} server ended before it answered")
            try:
                if client.get(f"{url}{HEALTH_PATH}").status_code == 200:
                    return process, url
            except httpx.TransportError:
                time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the {which} server did not answer within 60 seconds")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_answers(url: str, table: list[Route]) -> dict[str, str]:
    """What the portal answers on each route, checked to be a success."""
    answers = {}
    for route in table:
        response = httpx.get(f"{url}{route.path}", headers=route.headers, timeout=30)
        if response.status_code != 200:
            raise SystemExit(f"{route.name}: the portal answered {response.status_code}")
        answers[route.name] = response.text
    return answers


def run_wrk(wrk: str, url: str, route: Route, connections: int, seconds: int, server) -> Measured:
    headers = [part for name, value in route.headers.items() for part in ("-H", f"{name}: {value}")]
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", *headers, f"{url}{route.path}"]
    client_before = _children_cpu()
    server_before = sum(server.cpu_times()[:2])
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    server_cpu = sum(server.cpu_times()[:2]) - server_before
    return Measured(
        requests=int(_field(r"(\d+) requests in", finished.stdout)),
        not_ok=int(_field(r"Non-2xx or 3xx responses: (\d+)", finished.stdout, "0")),
        seconds=float(_field(r"requests in ([\d.]+)s", finished.stdout)),
        server_cpu_seconds=server_cpu,
        client_cpu_seconds=_children_cpu() - client_before,
    )


def measure(wrk: str, route: Route, servers: dict, args) -> dict[str, BestOf]:
    """Both servers on one route, in turns, so a busy spell of the machine hits both."""
    processes = {which: psutil.Process(process.pid) for which, (process, _url) in servers.items()}
    runs: dict[str, list[Measured]] = {"bare": [], "portal": []}
    for which in runs:
        if args.warm_up:
            url = servers[which][1]
            run_wrk(wrk, url, route, args.connections, args.warm_up, processes[which])
    for _round in range(args.rounds):
        for which, kept in runs.items():
            url = servers[which][1]
            kept.append(run_wrk(wrk, url, route, args.connections, args.seconds, processes[which]))
    return {which: BestOf(kept) for which, kept in runs.items()}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _field(pattern: str, output: str, default: str | None = None) -> str:
    found = re.search(pattern, output)
    if found:
        return found.group(1)
    if default is None:
        raise SystemExit(f"wrk's output has no {pattern!r}:\n{output}")
    return default


def report(table: list[Route], results: dict[str, dict[str, BestOf]], args) -> dict:
    print(
        f"uvicorn on 127.0.0.1, one worker each, access log off; wrk, one thread, "
        f"{args.connections} connections; {args.rounds} rounds of {args.seconds} s per route "
        "and server, the best round's figures"
    )
    print(
        f"{'route':8} {'server':7} {'requests/s':>10} {'server CPU':>14} {'busy':>6} "
        f"{'client CPU':>14} {'not 200':>8}"
    )
    ratios = {}
    for route in table:
        for which in ("bare", "portal"):
            measured = results[route.name][which]
            print(
                f"{route.name:8} {which:7} {measured.per_second:10.0f} "
                f"{measured.server_cpu_ms:9.3f} ms/r {measured.server_busy:6.0%} "
                f"{measured.client_cpu_ms:9.3f} ms/r {'some' if measured.failed else 'none':>8}"
            )
        bare, portal = results[route.name]["bare"], results[route.name]["portal"]
        ratios[route.name] = portal.per_second / bare.per_second if bare.per_second else 0.0
        if bare.server_busy < BUSY_ENOUGH:
            print(
                f"  note: the bare server was busy only {bare.server_busy:.0%} of the run: "
                "the client or the machine, not the server, set its pace"
            )
    for route in table:
        bare, portal = results[route.name]["bare"], results[route.name]["portal"]
        print(
            f"{route.name}: the portal answers {ratios[route.name]:.2f}x the bare app's "
            f"requests/s, at {portal.server_cpu_ms / max(bare.server_cpu_ms, 1e-9):.1f}x "
            "its CPU per request"
        )
    return {
        "health_ratio": round(ratios["healthz"], 3),
        "api_ratio": round(ratios["API"], 3),
        "page_ratio": round(ratios["page"], 3),
        "goal_health_ratio": GOAL_HEALTH_RATIO,
        "requests_per_second": {
            name: {which: round(measured.per_second) for which, measured in pair.items()}
            for name, pair in results.items()
        },
        "server_cpu_ms": {
            name: {which: round(measured.server_cpu_ms, 3) for which, measured in pair.items()}
            for name, pair in results.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="load time of each round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per route and server")
    parser.add_argument("--warm-up", type=int, default=2, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=16, help="open connections")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument("--check", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument("--serve", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        which, port, answers_file = args.serve
        serve(which, int(port), Path(answers_file))
        return 0
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is missing: install the Debian package wrk")

    with (
        tempfile.TemporaryDirectory(prefix="floor-bench-") as scratch,
        scratch_database(args.database_url) as database_url,
    ):
        env = environment(Path(scratch), database_url)
        os.environ.update(env)
        table = routes(seed())
        answers_file = Path(scratch) / "answers.json"
        servers = {}
        try:
            servers["portal"] = start_server("portal", answers_file, env)
            answers_file.write_text(json.dumps(portal_answers(servers["portal"][1], table)))
            servers["bare"] = start_server("bare", answers_file, env)
            results = {route.name: measure(wrk, route, servers, args) for route in table}
        finally:
            for process, _url in servers.values():
                process.terminate()
                process.wait(30)
    summary = report(table, results, args)
    failed = [
        f"{name} ({which})"
        for name, pair in results.items()
        for which, measured in pair.items()
        if measured.failed
    ]
    if failed:
        print(f"answers other than 200 (or none at all): {', '.join(failed)}")
    met = summary["health_ratio"] >= GOAL_HEALTH_RATIO
    print(f"goal: /healthz at {GOAL_HEALTH_RATIO}x of bare FastAPI: {'met' if met else 'missed'}")
    print(json.dumps(summary))
    return 1 if failed or (args.check and not met) else 0


if __name__ == "__main__":
    sys.exit(main())
