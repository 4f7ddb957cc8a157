"""1,000 metered paid sessions at once on one worker: what a meter tick and a posted
transfer cost the server, next to a bare single-row INSERT on the same database.

The script seeds a fresh portal (SQLite in a temporary folder; with `--database-url` a new
database on that PostgreSQL server, dropped at the end; with `--postgresql` on a throw-away
PostgreSQL server started as the tests start theirs): `--experts` approved experts with a
portal session each, `--sessions` customers with a linked device (a real Ed25519 key) and
a pre-chat with one of the experts. It starts the portal as its own process (the app on
uvicorn, one worker, in-process pub/sub, the meter ticking every `--tick` seconds), then,
over real sockets (every expert's tab and every customer's device, all in this process):

1. each device proposes a per-minute session and confirms a maximum (the ledger holds it);
2. the meter runs `--seconds` with every session ticking: the server's CPU per tick;
3. a tenth of the sessions pause, and resume a few seconds later, while the rest tick on;
4. every device ends its session: the charge is posted (split into the expert's share,
   the platform's fee and tax) and the rest of the hold released; the server's CPU per end.

Every `session.meter` a socket gets during 2. and 3. counts for the update latency:
arrival here minus the meter's `as_of` (the time the tick read the clock; one machine,
one clock), to the customer's device and to the expert's tab alike.

After the server has stopped, in this process on the same database as the baseline: a
bare single-row INSERT with its commit, and the ledger's post alone (a hold authorised
beforehand, untimed; the same post as a session's end, with its checks), each `--count`
times, CPU of this process per operation (`time.process_time`). Last, the ledger's
checks (`agent-portal ledger-check`'s) over everything.

The last line is one JSON object: `sessions`, `database`, `tick_cpu_ms` (the server per
tick of all sessions), `tick_cpu_per_session_ms`, `end_cpu_ms` (the server per ending
command, its post included), `transfer_cpu_ms` (a post alone), `bare_insert_cpu_ms`,
`transfer_ratio`, `update_p99_ms`, `device_update_p99_ms`, `expert_update_p99_ms`,
`tick_client_cpu_ms` (this process's per tick, receiving the meters), `ledger_ok`.
Goals: a posted transfer at most 3x the bare insert, updates within 1 s p99; ``--check``
exits 1 when one is missed.

    .venv/bin/python benchmarks/sessions.py [--sessions 1000] [--experts 100] [--tick 1]
        [--seconds 15] [--count 500] [--database-url postgresql+psycopg://... | --postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from chat import BenchKey, CpuMeter, device_channel, free_port, percentile
from experts import throwaway_postgresql
from scratch_database import scratch_database
from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from websockets.asyncio.client import connect

GOAL_RATIO = 3.0
GOAL_UPDATE_P99_MS = 1000.0
PRICE = 150  # a minute, CHF
MAXIMUM = 6000
PAUSING_SHARE = 10  # one session in ten pauses and resumes
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MONTH = datetime(2026, 12, 1, tzinfo=UTC)

bare_rows = Table(
    "benchmark_bare_rows",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("note", String(40), nullable=False),
)


def environment(data_dir: Path, database_url: str, tick: float) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")},
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SESSION_TICK_SECONDS": str(tick),
        "PORTAL_LIVE_SWEEP_SECONDS": "2",
        "PORTAL_MONTHLY_SPENDING_LIMIT": str(10 * MAXIMUM),
        "PORTAL_DEFAULT_LANGUAGE": "en",
    }


def seed(sessions: int, experts: int) -> tuple[list[BenchKey], list[str], list[int]]:
    """Experts with a portal session each, customers with a device and a pre-chat with one
    of them: the device keys, the experts' session tokens and the conversations' ids."""
    from agent_portal.app import create_app
    from agent_portal.auth import service as auth_service
    from agent_portal.auth.models import StaffMember
    from agent_portal.config import PortalSettings
    from agent_portal.customers.models import Customer, Device, Subscription
    from agent_portal.database import utcnow
    from agent_portal.expert_desk import service as desk
    from agent_portal.expert_search import index
    from agent_portal.experts.models import ExpertProfile

    app = create_app(PortalSettings())
    keys = [BenchKey() for _ in range(sessions)]
    tokens, profiles, conversations = [], [], []
    now = utcnow()
    with app.state.session_factory() as db_session:
        for number in range(experts):
            member = StaffMember(
                username=f"expert{number}",
                display_name=f"Expert {number}",
                role="expert",
                password_hash="!unusable",
                created_at=now,
            )
            db_session.add(member)
            db_session.flush()
            profile = ExpertProfile(
                staff_id=member.id,
                approved_at=now,
                display_name=f"Expert {number}",
                languages="de,en",
                keywords="NAS, Backup",
                slogan="Ihre Daten sicher zu Hause.",
                qualifications="Informatikerin EFZ.",
                experience="Zwölf Jahre Support für Router, NAS und WLAN.",
                text_language="de",
                price_per_minute=PRICE,
                price_per_session=5000,
                currency="CHF",
            )
            db_session.add(profile)
            db_session.flush()
            index.update_entry(db_session=db_session, profile=profile, now=now)
            profiles.append(profile.id)
            tokens.append(
                auth_service.create_session(
                    db_session=db_session, staff=member, lifetime=timedelta(hours=2), now=now
                ).token
            )
        db_session.commit()
        for number, key in enumerate(keys):
            customer = Customer(
                account_number=f"S-{number:06d}",
                name=f"Customer {number}",
                name_search=f"customer {number}",
                email=f"customer{number}@example.net",
                language="en",
                created_at=now,
                updated_at=now,
            )
            customer.subscription = Subscription(tier="none")
            customer.devices.append(
                Device(
                    id=key.device_id,
                    name=f"PC {number}",
                    platform="linux",
                    public_key=key.public_key_base64(),
                    linked_at=now,
                )
            )
            db_session.add(customer)
            db_session.flush()
            started = desk.start_prechat(
                db_session=db_session,
                customer_id=customer.id,
                device_id=key.device_id,
                expert_id=profiles[number % experts],
                client_msg_id=f"first-{number}",
                text="Mein NAS sichert nicht mehr.",
                now=now,
                away_after=timedelta(minutes=5),
            )
            conversations.append(started.conversation.id)
            if number % 100 == 99:
                db_session.commit()
        db_session.commit()
    app.state.engine.dispose()
    return keys, tokens, conversations


def start_server(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "agent-portal"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=log_path.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the portal did not start:\n{log_path.read_text(errors='replace')}")


class Side:
    """One socket: its frames, the acks it waits for, the meters' latencies it saw."""

    def __init__(self, socket, kind: str, run: Run) -> None:
        self.socket, self.kind, self.run = socket, kind, run
        self.acks: dict[str, asyncio.Future] = {}
        self.task = asyncio.create_task(self.read())

    async def read(self) -> None:
        ended = "the server closed the socket"
        try:
            async for raw in self.socket:
                arrived = time.time()
                frame = json.loads(raw)
                if frame["type"] == "session.meter":
                    if self.run.measuring:
                        as_of = datetime.fromisoformat(frame["as_of"]).timestamp()
                        self.run.latencies[self.kind].append(arrived - as_of)
                        self.run.ticks.add(frame["as_of"])
                elif frame["type"] in ("session.ack", "error"):
                    self.answer(frame)
        except Exception as error:  # closed at the end, or by the server under way
            ended = f"the socket failed: {error!r}"
        finally:
            # A command still waiting will get no answer: it fails now, saying why, rather
            # than after its timeout.
            for waiting in self.acks.values():
                if not waiting.done():
                    waiting.set_exception(SystemExit(f"{self.kind}: {ended}"))
            self.acks.clear()

    def answer(self, frame: dict) -> None:
        key = frame.get("command_id") or frame.get("request_id")
        if key is None and frame["type"] == "error":
            # An error that names no command belongs to whichever is waiting.
            for waiting in self.acks.values():
                if not waiting.done():
                    waiting.set_result(frame)
            self.acks.clear()
            return
        waiting = self.acks.pop(key, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(frame)

    async def command(self, frame: dict, timeout: float = 120) -> dict:
        waiting = asyncio.get_running_loop().create_future()
        self.acks[frame["command_id"]] = waiting
        await self.socket.send(json.dumps(frame))
        try:
            answer = await asyncio.wait_for(waiting, timeout)
        except TimeoutError:
            raise SystemExit(
                f"{self.kind}: no answer to {frame['type']} {frame['command_id']} in {timeout} s"
            ) from None
        if answer["type"] != "session.ack":
            raise SystemExit(f"{self.kind}: {frame['type']} refused: {answer}")
        return answer


class Run:
    def __init__(self) -> None:
        self.measuring = False
        self.latencies: dict[str, list[float]] = {"device": [], "expert": []}
        self.ticks: set[str] = set()
        self.client_seconds = 0.0  # this process's CPU while the ticks were measured


async def in_batches(coroutines, size: int = 50) -> list:
    done = []
    for start in range(0, len(coroutines), size):
        done += await asyncio.gather(*coroutines[start : start + size])
    return done


async def exercise(base: str, keys, tokens, conversations, args, cpu: dict[str, CpuMeter]):
    run = Run()
    tabs = []
    for token in tokens:
        tab = await connect(
            f"{base}/ws/staff",
            additional_headers={"Cookie": f"portal_session={token}"},
            max_size=None,
            compression=None,
        )
        tabs.append(Side(tab, "expert", run))
    sockets = await in_batches([device_channel(base, key) for key in keys])
    devices = [Side(s, "device", run) for s in sockets]

    async def start(number: int) -> int:
        device = devices[number]
        proposed = await device.command(
            {
                "type": "session.propose",
                "command_id": f"p{number}",
                "conversation_id": conversations[number],
                "terms": "per_minute",
            }
        )
        session_id = proposed["session_id"]
        await device.command(
            {
                "type": "session.confirm",
                "command_id": f"c{number}",
                "session_id": session_id,
                "maximum": MAXIMUM,
            }
        )
        return session_id

    cpu["start"].start()
    session_ids = await in_batches([start(n) for n in range(len(devices))])
    cpu["start"].stop()

    # Every session ticks.
    await asyncio.sleep(args.tick * 2)
    run.measuring = True
    cpu["tick"].start()
    began, client_began = time.monotonic(), time.process_time()
    await asyncio.sleep(args.seconds)
    cpu["tick"].stop()
    ticking = time.monotonic() - began
    run.client_seconds = time.process_time() - client_began
    ticks = len(run.ticks)

    # A tenth pause, and resume a few seconds later; the rest tick on.
    pausing = range(0, len(devices), PAUSING_SHARE)
    await in_batches(
        [
            devices[n].command(
                {"type": "session.pause", "command_id": f"s{n}", "session_id": session_ids[n]}
            )
            for n in pausing
        ]
    )
    await asyncio.sleep(max(3.0, args.tick * 3))
    await in_batches(
        [
            devices[n].command(
                {"type": "session.resume", "command_id": f"r{n}", "session_id": session_ids[n]}
            )
            for n in pausing
        ]
    )
    await asyncio.sleep(max(3.0, args.tick * 3))
    run.measuring = False

    cpu["end"].start()
    ended = await in_batches(
        [
            devices[n].command(
                {"type": "session.end", "command_id": f"e{n}", "session_id": session_ids[n]}
            )
            for n in range(len(devices))
        ]
    )
    cpu["end"].stop()
    statuses = {frame["meter"]["status"] for frame in ended}
    for side in devices + tabs:
        await side.socket.close()
        side.task.cancel()
    return run, ticks, ticking, statuses


def bare_inserts(session_factory, start: int, count: int) -> float:
    """CPU seconds for `count` single-row INSERTs, each committed."""
    began = time.process_time()
    for number in range(start, start + count):
        with session_factory() as db:
            db.execute(insert(bare_rows).values(note=f"row {number}"))
            db.commit()
    return time.process_time() - began


def posts(session_factory, start: int, count: int) -> float:
    """CPU seconds of `count` posts of a session's charge (each hold authorised first,
    untimed), each committed: the ledger's part of ending a session."""
    from agent_portal.ledger import service

    spent = 0.0
    for number in range(start, start + count):
        with session_factory() as db:
            hold = service.authorise(
                db_session=db,
                idempotency_key=f"bench-hold-{number}",
                customer_id=number % 50,
                currency="CHF",
                amount=MAXIMUM,
                now=NOW,
                expires_in=timedelta(hours=24),
                spending_limit=10**12,
                period_start=MONTH,
            )
            db.commit()
            hold_id = hold.id
        began = time.process_time()
        with session_factory() as db:
            parts = service.session_parts(
                1234 + number % 977,
                expert_id=number % 20,
                currency="CHF",
                fee_percent=Decimal(20),
                tax_percent=Decimal("8.1"),
            )
            service.post(
                db_session=db,
                idempotency_key=f"bench-post-{number}",
                hold_id=hold_id,
                parts=parts,
                now=NOW,
            )
            db.commit()
        spent += time.process_time() - began
    return spent


def baseline(database_url: str, count: int) -> tuple[float, float, object]:
    from agent_portal.database import make_engine, make_session_factory
    from agent_portal.ledger.check import check

    engine = make_engine(database_url)
    bare_rows.create(engine)
    session_factory = make_session_factory(engine)
    bare_inserts(session_factory, 0, 20)  # warm-up
    posts(session_factory, 0, 20)
    bare = bare_inserts(session_factory, 20, count)
    posted = posts(session_factory, 20, count)
    with session_factory() as db:
        report = check(db_session=db)
    engine.dispose()
    return bare / count, posted / count, report


def measure(database_url: str, args) -> dict:
    from agent_portal.database import make_engine
    from agent_portal.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory(prefix="sessions-bench-") as scratch:
        env = environment(Path(scratch), database_url, args.tick)
        os.environ.update(env)
        engine = make_engine(database_url)
        upgrade_to_head(engine)
        database = "SQLite" if engine.dialect.name == "sqlite" else "PostgreSQL"
        engine.dispose()
        began = time.monotonic()
        keys, tokens, conversations = seed(args.sessions, args.experts)
        print(f"{database}: seeded in {time.monotonic() - began:.1f} s", file=sys.stderr)
        port = free_port()
        server = start_server(port, env, Path(scratch) / "server.log")
        cpu = {name: CpuMeter(server.pid) for name in ("start", "tick", "end")}
        try:
            run, ticks, ticking, statuses = asyncio.run(
                exercise(f"ws://127.0.0.1:{port}", keys, tokens, conversations, args, cpu)
            )
        except BaseException:
            server_log = (Path(scratch) / "server.log").read_text(errors="replace")
            print(f"the server's log:\n{server_log[-20_000:]}", file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(30)
        bare, posted, report = baseline(database_url, args.count)

    sessions = args.sessions
    device, expert = run.latencies["device"], run.latencies["expert"]
    tick_cpu = cpu["tick"].server_seconds / max(ticks, 1)
    result = {
        "sessions": sessions,
        "database": database,
        "ticks": ticks,
        "tick_seconds": round(ticking / max(ticks, 1), 3),
        "tick_cpu_ms": round(tick_cpu * 1000, 2),
        "tick_cpu_per_session_ms": round(tick_cpu * 1000 / sessions, 3),
        "tick_database_cpu_ms": round(cpu["tick"].database_seconds * 1000 / max(ticks, 1), 2),
        "tick_client_cpu_ms": round(run.client_seconds * 1000 / max(ticks, 1), 2),
        "start_cpu_ms": round(cpu["start"].server_seconds * 1000 / sessions, 3),
        "end_cpu_ms": round(cpu["end"].server_seconds * 1000 / sessions, 3),
        "transfer_cpu_ms": round(posted * 1000, 3),
        "bare_insert_cpu_ms": round(bare * 1000, 3),
        "update_p99_ms": round(percentile(device + expert, 0.99) * 1000, 1),
        "update_p50_ms": round(percentile(device + expert, 0.5) * 1000, 1),
        "device_update_p99_ms": round(percentile(device, 0.99) * 1000, 1),
        "expert_update_p99_ms": round(percentile(expert, 0.99) * 1000, 1),
        "updates": len(device) + len(expert),
        "ended": sorted(statuses),
        "ledger_ok": report.ok,
    }
    result["transfer_ratio"] = round(
        result["transfer_cpu_ms"] / max(result["bare_insert_cpu_ms"], 1e-9), 1
    )
    print(
        f"{database}: {sessions} sessions on one worker, {args.experts} experts' tabs and "
        f"{sessions} devices connected, a tick every {args.tick} s"
    )
    print(
        f"  meter tick (all sessions)        {result['tick_cpu_ms']:9.2f} ms server CPU "
        f"({result['tick_cpu_per_session_ms']:.3f} ms a session; {ticks} ticks in "
        f"{ticking:.0f} s, one every {result['tick_seconds']} s)"
    )
    if database == "PostgreSQL":
        print(f"  ... PostgreSQL's processes       {result['tick_database_cpu_ms']:9.2f} ms")
    print(
        f"  ... this client (1,100 sockets)  {result['tick_client_cpu_ms']:9.2f} ms "
        "(on the same cores)"
    )
    print(f"  propose + confirm (a hold)       {result['start_cpu_ms']:9.3f} ms server CPU")
    print(f"  end (settle, post, summary)      {result['end_cpu_ms']:9.3f} ms server CPU")
    print(f"  bare single-row INSERT + commit  {result['bare_insert_cpu_ms']:9.3f} ms")
    print(
        f"  posted transfer (ledger post)    {result['transfer_cpu_ms']:9.3f} ms "
        f"({result['transfer_ratio']}x the bare INSERT; goal {GOAL_RATIO:.0f}x)"
    )
    print(
        f"  meter updates: p50 {result['update_p50_ms']} ms, p99 {result['update_p99_ms']} ms "
        f"(devices {result['device_update_p99_ms']}, experts' tabs "
        f"{result['expert_update_p99_ms']}; {result['updates']} updates; goal "
        f"{GOAL_UPDATE_P99_MS:.0f} ms)"
    )
    print(f"  ledger-check afterwards: {'passed' if report.ok else report.problem}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--experts", type=int, default=100)
    parser.add_argument("--tick", type=float, default=1.0, help="the meter's interval, s")
    parser.add_argument("--seconds", type=float, default=15, help="of ticking, measured")
    parser.add_argument("--count", type=int, default=500, help="bare INSERTs and posts")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument("--postgresql", action="store_true", help="a throw-away PostgreSQL")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    if args.postgresql:
        with throwaway_postgresql() as server, scratch_database(server) as url:
            result = measure(url, args)
    elif args.database_url:
        with scratch_database(args.database_url) as url:
            result = measure(url, args)
    else:
        with tempfile.TemporaryDirectory(prefix="sessions-db-") as folder:
            result = measure(f"sqlite:///{Path(folder) / 'portal.db'}", args)
    met = (
        result["ledger_ok"]
        and result["transfer_ratio"] <= GOAL_RATIO
        and result["update_p99_ms"] <= GOAL_UPDATE_P99_MS
    )
    print(json.dumps(result))
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
