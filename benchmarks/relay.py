"""Binary relay throughput: a device's frames to a staff member's tab, through the server.

The script seeds a fresh portal (SQLite in a temporary folder: one customer with a linked
device and a real Ed25519 key, one agent), starts the portal as processes of its own
(uvicorn, as `agent-portal serve` runs it) and measures three rounds with the same client:

1. echo: a bare WebSocket route that sends each binary frame straight back, the floor of
   what one Python server moves (each byte goes in and out once, as in a relay);
2. relay, one worker (in-process pub/sub): the device's channel and the tab on one server;
   a relay stream is opened from the device to the agent (by a route only this script's
   server has, calling `realtime.relay.open_stream` as a domain would);
3. relay, two workers on Redis: the device on one worker, the tab on the other, one
   redis-server the script starts on a spare port.

The device sends `--frames` frames of `--kib` KiB (random bytes), at most `--window` ahead
of what the tab has received (a screen viewer asks for the next picture when it has drawn
the last). Each round reports MiB/s (payload delivered per second of wall time) and the
server's CPU milliseconds per MiB (all its worker processes; with Redis, redis-server's
too): the steadier figure on a shared machine.

    python benchmarks/relay.py [--frames 1000] [--kib 100] [--window 8]

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
import psutil

# WebSocket and Request at the top: FastAPI resolves the routes' annotations in the module.
from fastapi import Request, WebSocket, WebSocketDisconnect
from websockets.asyncio.client import connect

from isp_common.binary_frames import BinaryFrame, encode
from isp_common.live_wire import b64decode, b64encode, challenge_payload

ECHO_PATH = "/bench/echo"
OPEN_PATH = "/bench/open-stream"
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed() -> tuple[object, str, int]:
    """One customer with a linked device, one agent with a session: the device's key, the
    agent's session token and id."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from agent_portal.app import create_app
    from agent_portal.auth import service as auth_service
    from agent_portal.auth.models import StaffMember
    from agent_portal.config import PortalSettings
    from agent_portal.customers.models import Customer, Device, Subscription
    from agent_portal.database import utcnow
    from isp_common.device_ids import device_id_for, raw_public_key

    class Key:
        def __init__(self) -> None:
            self.private_key = Ed25519PrivateKey.generate()
            self.device_id = device_id_for(self.private_key.public_key())

        def public_key_base64(self) -> str:
            return b64encode(raw_public_key(self.private_key.public_key()))

    key = Key()
    app = create_app(PortalSettings())
    now = utcnow()
    with app.state.session_factory() as db_session:
        customer = Customer(
            account_number="B-000001",
            name="Bench Customer",
            name_search="bench customer",
            email="bench@example.net",
            language="en",
            created_at=now,
            updated_at=now,
        )
        customer.subscription = Subscription(tier="none")
        customer.devices.append(
            Device(
                id=key.device_id,
                name="PC",
                platform="linux",
                public_key=key.public_key_base64(),
                linked_at=now,
            )
        )
        agent = StaffMember(
            username="agent",
            display_name="Agent",
            role="agent",
            password_hash="!unusable",
            created_at=now,
        )
        db_session.add_all([customer, agent])
        db_session.commit()
        token = auth_service.create_session(
            db_session=db_session, staff=agent, lifetime=timedelta(hours=2), now=now
        ).token
        db_session.commit()
        agent_id = agent.id
    app.state.engine.dispose()
    return key, token, agent_id


def serve(port: int) -> None:
    """A server process: the portal, plus a binary echo and a route that opens a stream."""
    import uvicorn

    from agent_portal.app import create_app
    from agent_portal.auth.deps import public_route
    from agent_portal.config import PortalSettings
    from agent_portal.realtime.relay import open_stream

    app = create_app(PortalSettings())

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_bytes(await websocket.receive_bytes())
        except WebSocketDisconnect:
            return

    async def open_for_benchmark(request: Request) -> dict:
        stream = await open_stream(
            request.app.state.live,
            sender=request.query_params["sender"],
            to_staff=int(request.query_params["staff"]),
        )
        return {"stream_id": stream.id}

    app.add_api_websocket_route(ECHO_PATH, echo, dependencies=[public_route()])
    app.add_api_route(
        OPEN_PATH, open_for_benchmark, methods=["POST"], dependencies=[public_route()]
    )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws_per_message_deflate=False)


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], env=env, cwd=Path(__file__).parent.parent
    )
    wait_for_port(port, process)
    return process


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"a server process on port {port} did not start")


def start_redis(directory: str) -> tuple[subprocess.Popen, int]:
    program = shutil.which("redis-server")
    if program is None:
        raise SystemExit("redis-server is missing: install the Debian package redis-server")
    port = free_port()
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port, process)
    return process, port


class CpuMeter:
    """CPU seconds a set of processes spend between `start` and `stop`."""

    def __init__(self, pids: list[int]) -> None:
        self.processes = [psutil.Process(pid) for pid in pids]
        self.seconds = 0.0

    def _busy(self) -> float:
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.processes)

    def start(self) -> None:
        self._start = self._busy()

    def stop(self) -> None:
        self.seconds = self._busy() - self._start


def frames_of(count: int, kib: int) -> list[bytes]:
    """Distinct payloads (random, like compressed pictures), made before the clock starts."""
    pool = [random.randbytes(kib * 1024) for _ in range(16)]
    return [pool[seq % len(pool)] for seq in range(count)]


async def device_channel(base: str, key) -> tuple[object, str]:
    channel = await connect(f"{base}/ws/device", max_size=None, compression=None)
    challenge = json.loads(await channel.recv())
    signature = key.private_key.sign(challenge_payload(b64decode(challenge["nonce"])))
    hello = {
        "type": "hello",
        "device_id": key.device_id,
        "public_key": key.public_key_base64(),
        "signature": b64encode(signature),
    }
    await channel.send(json.dumps(hello))
    welcome = json.loads(await channel.recv())
    assert welcome["type"] == "welcome", welcome
    return channel, welcome["connection_id"]


async def next_json(channel, frame_type: str) -> dict:
    while True:
        raw = await channel.recv()
        if isinstance(raw, str) and (frame := json.loads(raw))["type"] == frame_type:
            return frame


async def pump(send, receive, payloads: list[bytes], window: int, meter: CpuMeter) -> float:
    """Sends each payload at most `window` ahead of what came out; the MiB/s delivered."""
    received = 0
    arrived = asyncio.Event()

    async def reader() -> None:
        nonlocal received
        while received < len(payloads):
            await receive()
            received += 1
            arrived.set()

    task = asyncio.create_task(reader())
    meter.start()
    started = time.perf_counter()
    for seq, payload in enumerate(payloads):
        while seq - received >= window:
            arrived.clear()
            await arrived.wait()
        await send(seq, payload)
    await task
    elapsed = time.perf_counter() - started
    meter.stop()
    return sum(len(p) for p in payloads) / MIB / elapsed


async def echo_round(port: int, payloads, window: int, meter: CpuMeter) -> float:
    async with connect(
        f"ws://127.0.0.1:{port}{ECHO_PATH}", max_size=None, compression=None
    ) as channel:
        framed = [encode(BinaryFrame(1, 1, seq, p)) for seq, p in enumerate(payloads)]

        async def send(seq: int, _payload: bytes) -> None:
            await channel.send(framed[seq])

        async def receive() -> None:
            data = await channel.recv()
            assert isinstance(data, bytes)

        return await pump(send, receive, payloads, window, meter)


async def relay_round(
    device_port: int, tab_port: int, staff, payloads, window: int, meter: CpuMeter
) -> float:
    key, token, agent_id = staff
    device, connection_id = await device_channel(f"ws://127.0.0.1:{device_port}", key)
    tab = await connect(
        f"ws://127.0.0.1:{tab_port}/ws/staff",
        additional_headers={"Cookie": f"portal_session={token}"},
        max_size=None,
        compression=None,
    )
    try:
        await asyncio.sleep(0.5)  # the tab's presence row is written
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{tab_port}") as http:
            answer = await http.post(OPEN_PATH, params={"sender": connection_id, "staff": agent_id})
            answer.raise_for_status()
        stream_id = answer.json()["stream_id"]
        await next_json(device, "relay.opened")
        await next_json(tab, "relay.opened")
        framed = [encode(BinaryFrame(1, stream_id, seq, p)) for seq, p in enumerate(payloads)]

        async def send(seq: int, _payload: bytes) -> None:
            await device.send(framed[seq])

        async def receive() -> None:
            while not isinstance(await tab.recv(), bytes):
                pass

        return await pump(send, receive, payloads, window, meter)
    finally:
        await device.close()
        await tab.close()


def figures(mib_per_s: float, meter: CpuMeter, mib: float) -> dict:
    return {
        "mib_per_s": round(mib_per_s, 1),
        "cpu_ms_per_mib": round(meter.seconds / mib * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=1000)
    parser.add_argument("--kib", type=int, default=100, help="payload of a frame")
    parser.add_argument("--window", type=int, default=8, help="frames sent ahead")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0

    payloads = frames_of(args.frames, args.kib)
    mib = sum(len(p) for p in payloads) / MIB
    result: dict = {"frames": args.frames, "frame_kib": args.kib, "window": args.window}
    with tempfile.TemporaryDirectory(prefix="relay-bench-") as scratch:
        env = {
            **os.environ,
            "PORTAL_DATA_DIR": scratch,
            "PORTAL_DATABASE_URL": "",
            "PORTAL_PUBSUB_URL": "",
        }
        os.environ.update(env)
        people = seed()
        processes: list[subprocess.Popen] = []
        try:
            port = free_port()
            processes.append(start_server(port, env))
            meter = CpuMeter([processes[0].pid])
            speed = asyncio.run(echo_round(port, payloads, args.window, meter))
            result["echo"] = figures(speed, meter, mib)
            meter = CpuMeter([processes[0].pid])
            speed = asyncio.run(relay_round(port, port, people, payloads, args.window, meter))
            result["relay_in_process"] = figures(speed, meter, mib)
            processes.pop().terminate()

            redis, redis_port = start_redis(scratch)
            processes.append(redis)
            env["PORTAL_PUBSUB_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            first, second = free_port(), free_port()
            processes += [start_server(first, env), start_server(second, env)]
            workers = CpuMeter([processes[1].pid, processes[2].pid])
            redis_meter = CpuMeter([redis.pid])
            redis_meter.start()
            speed = asyncio.run(relay_round(first, second, people, payloads, args.window, workers))
            redis_meter.stop()
            result["relay_redis"] = figures(speed, workers, mib)
            redis_ms = round(redis_meter.seconds / mib * 1000, 2)
            result["relay_redis"]["redis_cpu_ms_per_mib"] = redis_ms
        finally:
            for process in reversed(processes):  # redis-server, if any, last
                process.terminate()
                process.wait(30)

    print(f"{args.frames} frames of {args.kib} KiB ({mib:.0f} MiB), {args.window} in flight")
    for name, label in (
        ("echo", "bare WebSocket echo"),
        ("relay_in_process", "relay, one worker"),
        ("relay_redis", "relay, two workers on Redis"),
    ):
        row = result[name]
        line = f"{label}: {row['mib_per_s']} MiB/s, server CPU {row['cpu_ms_per_mib']} ms/MiB"
        if "redis_cpu_ms_per_mib" in row:
            line += f" (+ redis-server {row['redis_cpu_ms_per_mib']} ms/MiB)"
        print(line)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
