"""How fast the server redeems one-time unlock codes, next to a bare FastAPI endpoint.

In one run: the portal app on a fresh database (SQLite in a temporary folder; with
`--database-url` a new database on that PostgreSQL server, dropped at the end), with one
extra route mounted only here, `POST /benchmark/bare`, which parses the same body and
answers at once. N customers each get one linked device and one unlock code from an agent,
as in real life, each behind an address of its own: the load generator stands in for a
reverse proxy that names the client in X-Forwarded-For (`PORTAL_FORWARDED_ALLOW_IPS`), since
the attempt limits count per address, and one address may check only as many codes at
once as it has attempts left. The app is served by uvicorn on loopback in a child process,
so the load generator (httpx, a bounded number of concurrent requests) does not share the
server's interpreter. The same signed requests go to the bare route first, then to redeem, where
each code is used exactly once. Both runs are bounded by count and time. Prints requests
per second of each and their ratio; the goal is that redeem reaches at least 40% of the
bare endpoint. Exit status 1 when it does not, or when a code was not redeemed.

    .venv/bin/python benchmarks/unlock.py [--codes 1500] [--concurrency 16] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import psutil
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from scratch_database import scratch_database

from agent_portal.app import create_app
from agent_portal.auth import service as staff_service
from agent_portal.auth.deps import public_route
from agent_portal.config import PortalSettings
from agent_portal.customers import service as customers
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import utcnow
from agent_portal.devices import service as devices
from agent_portal.unlock_codes import service as unlock_codes
from isp_common.device_ids import device_id_for, raw_public_key
from isp_common.premium_wire import (
    REDEEM_PATH,
    RedeemRequest,
    device_request_headers,
)

BARE_PATH = "/benchmark/bare"
GOAL = 0.40
WARM_UP = 100


def settings_for(data_dir: Path, database_url: str) -> PortalSettings:
    # A code must outlive the run, and the load generator is the customers' proxy;
    # everything else is the product's defaults.
    return PortalSettings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        unlock_code_minutes=60,
        forwarded_allow_ips="127.0.0.1",
    )


def build_app(settings: PortalSettings):
    app = create_app(settings)

    @app.post(BARE_PATH, dependencies=[public_route()])
    def bare(body: RedeemRequest) -> dict[str, bool]:
        return {"ok": bool(body.code)}

    return app


def serve(data_dir: str, database_url: str, port: int) -> None:
    import uvicorn

    app = build_app(settings_for(Path(data_dir), database_url))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=False,  # as `agent-portal serve`: the app reads them
    )


@dataclass(frozen=True)
class Unlock:
    key: Ed25519PrivateKey
    code: str
    address: str  # the customer's, as the proxy names it


def seed(settings: PortalSettings, count: int) -> list[Unlock]:
    """`count` customers, each with one linked device and one open code."""
    app = create_app(settings)
    keys = app.state.server_keys
    unlocks = []
    with app.state.session_factory() as db_session:
        agent = staff_service.create_staff(
            db_session=db_session,
            username="benchmark.agent",
            password="benchmark password",
            role="agent",
            display_name="Benchmark Agent",
        )
        for number in range(count):
            now = utcnow()
            customer = customers.save(
                db_session=db_session,
                account_number=f"B-{number:06d}",
                customer_in=CustomerIn(name=f"Kunde {number}", email=f"k{number}@example.de"),
                time_zone=settings.time_zone,
            ).customer
            key = Ed25519PrivateKey.generate()
            devices.attach(
                db_session=db_session,
                keys=keys,
                customer=customer,
                public_key=raw_public_key(key.public_key()),
                name=f"PC {number}",
                platform="windows",
                now=now,
                device_limits=settings.device_limits,
            )
            issued = unlock_codes.issue(
                db_session=db_session,
                keys=keys,
                customer=customer,
                staff=agent,
                now=now,
                lifetime=timedelta(minutes=settings.unlock_code_minutes),
            )
            address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
            unlocks.append(Unlock(key=key, code=issued.code, address=address))
        db_session.commit()
    app.state.engine.dispose()
    return unlocks


def signed_request(unlock: Unlock) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"code": unlock.code}).encode()
    headers = device_request_headers(
        sign=unlock.key.sign,
        device_id=device_id_for(unlock.key.public_key()),
        method="POST",
        target=REDEEM_PATH.encode(),
        body=body,
        timestamp=int(time.time()),
    )
    return body, {
        **headers,
        "Content-Type": "application/json",
        "X-Forwarded-For": unlock.address,
    }


@dataclass
class Result:
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0  # what the server process spent, user and system

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def server_cpu_ms(self) -> float:
        answered = self.ok + self.failed
        return self.server_cpu_seconds / answered * 1000 if answered else 0.0


def timed_load(server: psutil.Process, url: str, path: str, requests, concurrency, seconds):
    before = sum(server.cpu_times()[:2])
    result = asyncio.run(load(url, path, requests, concurrency, seconds))
    result.server_cpu_seconds = sum(server.cpu_times()[:2]) - before
    return result


async def load(
    url: str, path: str, requests: list[tuple[bytes, dict]], concurrency: int, seconds: float
) -> Result:
    result = Result()
    pending = iter(requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            for body, headers in pending:
                if time.perf_counter() > deadline:
                    return
                response = await client.post(path, content=body, headers=headers)
                if response.status_code == 200:
                    result.ok += 1
                else:
                    result.failed += 1
                    if result.failed == 1:
                        print(f"  first refusal: {response.status_code} {response.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: multiprocessing.Process) -> None:
    deadline = time.monotonic() + 60
    with httpx.Client(timeout=1) as client:  # one for all tries: each builds a TLS context
        while time.monotonic() < deadline:
            if not server.is_alive():
                raise SystemExit("the server process ended before it answered")
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 60 seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--codes", type=int, default=1500, help="codes to redeem (one each)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests at once")
    parser.add_argument("--seconds", type=float, default=30, help="time limit of each run")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="unlock-bench-") as folder,
        scratch_database(args.database_url) as database_url,
    ):
        settings = settings_for(Path(folder), database_url)
        started = time.perf_counter()
        unlocks = seed(settings, args.codes + WARM_UP)
        database = "SQLite" if settings.is_sqlite else "PostgreSQL"
        print(
            f"Seeded {len(unlocks)} customers with a linked device and an unlock code each "
            f"({database}) in {time.perf_counter() - started:.1f} s."
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        context = multiprocessing.get_context("spawn")
        server = context.Process(target=serve, args=(folder, settings.database_url, port))
        server.start()
        try:
            wait_until_up(url, server)
            requests = [signed_request(unlock) for unlock in unlocks]
            warm, timed = requests[:WARM_UP], requests[WARM_UP:]
            asyncio.run(load(url, BARE_PATH, warm, args.concurrency, args.seconds))
            asyncio.run(load(url, REDEEM_PATH, warm, args.concurrency, args.seconds))
            process = psutil.Process(server.pid)
            bare = timed_load(process, url, BARE_PATH, timed, args.concurrency, args.seconds)
            redeem = timed_load(process, url, REDEEM_PATH, timed, args.concurrency, args.seconds)
        finally:
            server.terminate()
            server.join(10)

    ratio = redeem.per_second / bare.per_second if bare.per_second else 0.0
    print(
        f"uvicorn on 127.0.0.1, one worker; httpx with {args.concurrency} requests at once; "
        f"{len(timed)} requests per endpoint, at most {args.seconds:g} s each"
    )
    print(
        f"bare endpoint  {bare.ok:6d} answered in {bare.seconds:6.2f} s: "
        f"{bare.per_second:7.0f} requests/s, server CPU {bare.server_cpu_ms:.2f} ms/request"
    )
    print(
        f"redeem         {redeem.ok:6d} redeemed in {redeem.seconds:6.2f} s: "
        f"{redeem.per_second:7.0f} requests/s, server CPU {redeem.server_cpu_ms:.2f} ms/request "
        f"({redeem.failed} refused)"
    )
    verdict = "goal met" if ratio >= GOAL else "goal missed"
    print(f"redeem reaches {ratio:.0%} of the bare endpoint (goal: {GOAL:.0%}): {verdict}")
    return 0 if ratio >= GOAL and redeem.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
