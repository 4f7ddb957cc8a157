"""Screen sharing of a 1920x1080 screen: what the sender's grab, masks and encoding cost,
and how fast and how late the picture reaches a real viewer through the real server.

The script starts Xvfb (1920x1080, 24 bits, a free display number) and, as a process of
its own, a Tk program that draws scripted content there, one step per command:

1. terminal: a dark terminal-like text area filling the screen; each step rewrites five
   of its lines (about 5 % of the screen);
2. scroll: a page of text in a window the width of the screen, scrolled by three lines
   (about 50 pixels) each step.

The sender alone: for each case, `--frames` steps are drawn; after each the screen is
grabbed (mss), masked (the privacy list: the windows are listed twice a frame, from the
list the platform keeps up to date while a stream runs, `windows_watched`, as in the
product) and encoded at `--quality` by the default encoder (`TileJpegEncoder`: changed
tiles as JPEG, scrolling as copies). As a baseline, each same frame is also encoded as one
full-frame JPEG at the same quality. Printed per case: encode ms per frame, KiB per frame,
the frames per second the sender sustains (grab + mask + encode), and both for the
baseline. Then `ScreenStream` (the product's thread) streams the terminal case for
`--seconds` while the Tk program changes it 30 times a second, a puller in this process
asking for the next update as soon as one is sent; the sender's CPU share of one core is
this process' CPU time divided by the wall time (the Tk program's CPU is not counted).

Through the server: a fresh portal (seeded as `benchmarks/relay.py` seeds it, plus a chat
of the customer assigned to the agent) runs as its own process, as `agent-portal serve`.
The customer's assistant runs as another: its live channel (`DeviceChannel`, signed with
the linked device's key), its consent flow and its screen sharing (`ScreenShare`), where
every request is answered "share my whole screen" as the customer would click it.
Chromium (headless, through Playwright) opens the chat signed in as the agent, asks to see
the screen and opens the viewer page, whose own script draws the updates and pulls the
next, asking for the JPEG quality it chooses. For each case the Tk program steps 30 times
a second for `--seconds`, stamping each step's number into the top left corner (blocks of
16 pixels: the number and its complement, 12 bits each) and noting the wall clock once
the X server has drawn it; a script in the page decodes the stamp from the canvas each
time the viewer draws an update and notes the wall clock when a number first shows (same
machine, same clock). Latency is shown minus drawn, for each number that showed (the
sender skips steps made while it was busy); its parts, from the update's capture time and
its arrival on the page's WebSocket: until the sender grabbed it, grab to the viewer's
socket (the sender's masks and encoding, the relay), socket to canvas (decoding and
drawing). Printed besides: updates drawn per second, KiB per update as the assistant sent
them, the share of keyframes and the quality the viewer asked for, the assistant
process' CPU share of one core and the server's CPU ms per MiB relayed (psutil).

Goals: 5 % change >= 20 frames/s, <= 5 ms and <= 40 KiB per frame, < 15 % of a core,
latency p50 < 50 ms; scrolling <= 60 KiB per frame. `goals_met` in the JSON says which
were met.

    .venv/bin/python benchmarks/screen.py [--frames 60] [--quality 70] [--seconds 5]

Progress goes to stderr; the last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT = 1920, 1080
GOALS = {
    "fps_5pct": 20.0,
    "encode_ms_5pct": 5.0,
    "kib_5pct": 40.0,
    "cpu_share_5pct": 0.15,
    "latency_p50_ms": 50.0,
    "kib_scroll": 60.0,
}
# The number stamped into the content: BITS blocks for it, then BITS for its complement (a
# stamp grabbed half drawn does not read as a number), BLOCK pixels square: JPEG keeps
# black and white blocks of that size, so their centres read back from the canvas.
BLOCK, BITS = 16, 12
STEPS_PER_SECOND = 30
MIB = 1024 * 1024
WORDS = [
    "Verbindung",
    "Router",
    "Kabel",
    "Modem",
    "Fehler",
    "Signal",
    "Leitung",
    "Netz",
    "Passwort",
    "Einstellungen",
    "Download",
    "Upload",
    "Geschwindigkeit",
    "Störung",
    "Techniker",
    "Rechnung",
    "Vertrag",
    "Telefon",
    "connection",
    "packet",
    "latency",
    "gateway",
    "address",
    "server",
    "request",
    "response",
    "timeout",
]


# --- the content: a Tk program driven over stdin -----------------------------------------


def content_program() -> None:
    """Runs in its own process: draws the cases, one step per line read from stdin."""
    import tkinter

    rng = random.Random(7)
    root = tkinter.Tk()
    root.geometry(f"{WIDTH}x{HEIGHT}+0+0")
    root.title("Benchmark")
    terminal = tkinter.Text(
        root, background="#1e1e1e", foreground="#d0d0d0", font=("DejaVu Sans Mono", 11),
        borderwidth=0, highlightthickness=0, wrap="none",
    )  # fmt: skip
    page = tkinter.Text(
        root, background="#ffffff", foreground="#202020", font=("DejaVu Sans", 12),
        borderwidth=0, highlightthickness=0, wrap="word", padx=120,
    )  # fmt: skip

    def line() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22)))

    for _ in range(80):
        terminal.insert("end", line() + "\n")
    for paragraph in range(1000):
        page.insert("end", f"{paragraph + 1}. " + " ".join(line() for _ in range(3)) + "\n\n")
    stamp = tkinter.Canvas(
        root, width=2 * BITS * BLOCK, height=BLOCK, background="black",
        borderwidth=0, highlightthickness=0,
    )  # fmt: skip
    blocks = [
        stamp.create_rectangle(i * BLOCK, 0, (i + 1) * BLOCK, BLOCK, outline="", fill="black")
        for i in range(2 * BITS)
    ]
    numbers = itertools.count(1)

    def stamp_number(number: int) -> None:
        bits = [(number >> i) & 1 for i in range(BITS)]
        for block, bit in zip(blocks, bits + [1 - bit for bit in bits], strict=True):
            stamp.itemconfigure(block, fill="white" if bit else "black")

    def show(widget) -> None:
        for other in (terminal, page):
            other.place_forget()
        widget.place(x=0, y=0, width=WIDTH, height=HEIGHT)

    def step(case: str) -> None:
        if case == "terminal":
            first = rng.randint(1, 50)
            for number in range(first, first + 5):
                terminal.delete(f"{number}.0", f"{number}.end")
                terminal.insert(f"{number}.0", line())
        else:
            page.yview_scroll(3, "units")

    def settle() -> None:
        root.update()
        root.winfo_pointerxy()  # a round trip: the X server has drawn everything
        root.update()

    def stamped(case: str, seconds: float) -> dict[int, float]:
        """Steps the case 30 times a second, each with the next number stamped; the wall
        clock at which each number was on the screen."""
        drawn: dict[int, float] = {}
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            number = next(numbers) % (1 << BITS)
            step(case)
            stamp_number(number)
            root.update()
            root.winfo_pointerxy()  # the round trip: the X server has drawn it
            drawn[number] = time.time()
            time.sleep(max(0.0, started + len(drawn) / STEPS_PER_SECOND - time.monotonic()))
        return drawn

    show(terminal)
    settle()
    print("ready", flush=True)
    running = None
    for command in sys.stdin:
        name, *rest = command.split()
        if name in ("terminal", "scroll"):
            show(terminal if name == "terminal" else page)
            settle()
        elif name == "step":
            step(rest[0])
            settle()
        elif name == "animate":  # change the terminal 30 times a second until "still"
            running = True
            seconds = float(rest[0])
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                step("terminal")
                settle()
                time.sleep(1 / 30)
            running = False
        elif name == "stamped":  # `animate` with each step's number stamped in the corner
            stamp.place(x=0, y=0)  # above either case: made after them
            drawn = stamped(rest[0], float(rest[1]))
            print(json.dumps(drawn), flush=True)
        print("ok", running, flush=True)


class Content:
    def __init__(self, display: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--content"],
            env={**os.environ, "DISPLAY": display},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def command(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().startswith("ok")

    def stamped(self, case: str, seconds: float) -> dict[int, float]:
        """Runs the case with stamped numbers; when each number was drawn (wall clock)."""
        self.process.stdin.write(f"stamped {case} {seconds}\n")
        self.process.stdin.flush()
        drawn = json.loads(self.process.stdout.readline())
        assert self.process.stdout.readline().startswith("ok")
        return {int(number): at for number, at in drawn.items()}

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{WIDTH}x{HEIGHT}x24",
         "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        return xvfb, ":" + announced.readline().strip()


# --- measuring -------------------------------------------------------------------------


def measure_case(case: str, content, platform, frames: int, quality: int, options) -> dict:
    from assistant.screen.capture import Grabber, WholeScreen
    from assistant.screen.encoding import TileJpegEncoder, jpeg
    from assistant.screen.masks import Masking, Masks
    from assistant.screen.tiles import changed_tiles
    from isp_common.screen_wire import ScreenUpdate, encode_update

    content.command(case)
    grabber, masks, masking, encoder = (
        Grabber(platform, WholeScreen()),
        Masks(platform),
        Masking(),
        TileJpegEncoder(**options),
    )
    with platform.windows_watched():  # as while a stream runs: the list from notifications
        first = grabber.grab()
        encoder.encode(first.pixels, quality=quality, keyframe=True)
        last = first.pixels.copy()  # the grab is valid until the next one
        rows = []
        for _ in range(frames):
            content.command(f"step {case}")
            started = time.perf_counter()
            frame = grabber.grab()
            grabbed = time.perf_counter()
            pixels = masking(frame.pixels, frame.area, masks() + masks())
            masked = time.perf_counter()
            rects = encoder.encode(pixels, quality=quality, keyframe=False) or []
            encoded = time.perf_counter()
            payload = encode_update(ScreenUpdate(1, 0, WIDTH, HEIGHT, rects=rects))
            full = jpeg(pixels, quality, options["subsampling"])
            baseline = time.perf_counter()
            changed = changed_tiles(last, pixels, 8).mean()
            last = pixels.copy()
            rows.append(
                {
                    "grab_ms": (grabbed - started) * 1000,
                    "mask_ms": (masked - grabbed) * 1000,
                    "encode_ms": (encoded - masked) * 1000,
                    "kib": len(payload) / 1024,
                    "copies": sum(r.encoding == 2 for r in rects),
                    "rects": len(rects),
                    "full_ms": (baseline - encoded) * 1000,
                    "full_kib": len(full) / 1024,
                    "changed": changed,
                }
            )
        grabber.close()

    def mean(key: str) -> float:
        return statistics.fmean(row[key] for row in rows)

    sender_ms = mean("grab_ms") + mean("mask_ms") + mean("encode_ms")
    full_sender_ms = mean("grab_ms") + mean("mask_ms") + mean("full_ms")
    return {
        "changed_share": round(mean("changed"), 3),
        "grab_ms": round(mean("grab_ms"), 2),
        "mask_ms": round(mean("mask_ms"), 2),
        "encode_ms": round(mean("encode_ms"), 2),
        "encode_ms_p50": round(statistics.median(row["encode_ms"] for row in rows), 2),
        "kib": round(mean("kib"), 1),
        "frames_with_copies": sum(row["copies"] > 0 for row in rows),
        "rects": round(mean("rects"), 1),
        "fps": round(1000 / sender_ms, 1),
        "full_jpeg_ms": round(mean("full_ms"), 2),
        "full_jpeg_kib": round(mean("full_kib"), 1),
        "full_jpeg_fps": round(1000 / full_sender_ms, 1),
    }


def measure_live(content, platform, seconds: float, quality: int) -> dict:
    """ScreenStream as the product runs it, the viewer pulling at once after each update."""
    from assistant.screen.capture import WholeScreen
    from assistant.screen.masks import Masks
    from assistant.screen.stream import ScreenStream
    from isp_common.binary_frames import decode_header
    from isp_common.screen_wire import ScreenPull

    content.command("terminal")
    sizes: list[int] = []
    holder: dict = {}

    def send(data: bytes) -> None:
        sizes.append(len(data))
        seq = decode_header(data).seq
        holder["stream"].pull(ScreenPull(consent_id="bench", after_frame=seq, quality=quality))

    stream = ScreenStream(
        WholeScreen(), Masks(platform), send, stream_id=1, platform=platform, max_fps=30
    )
    holder["stream"] = stream
    stream.pull(ScreenPull(consent_id="bench", keyframe=True, quality=quality))
    deadline = time.monotonic() + 10
    while not sizes and time.monotonic() < deadline:
        time.sleep(0.01)
    animation = threading.Thread(target=content.command, args=(f"animate {seconds}",))
    cpu_before, wall_before, frames_before = time.process_time(), time.monotonic(), len(sizes)
    animation.start()
    animation.join()
    cpu, wall = time.process_time() - cpu_before, time.monotonic() - wall_before
    frames = len(sizes) - frames_before
    stream.stop(wait=2)
    return {
        "seconds": round(wall, 2),
        "frames": frames,
        "fps": round(frames / wall, 1),
        "kib": round(statistics.fmean(sizes[frames_before:]) / 1024, 1) if frames else None,
        "cpu_share": round(cpu / wall, 3),
    }


# --- through the server into the viewer --------------------------------------------------

# In the viewer's page, before its own scripts: when each screen update arrives (its frame
# number, capture time and keyframe flag, read from the WebSocket), the JPEG quality the
# viewer asks for, and when the canvas shows a new stamped number (the moment `data-frame`
# changes: the update is drawn). Times are the wall clock in ms, as `time.time()` has it.
WATCHER = """
const bench = { frames: 0, unreadable: 0, updates: 0, keyframes: 0, quality: null, seen: {},
  arrived: {} };
window.screenBench = bench;
const now = () => performance.timeOrigin + performance.now();
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (event) => {
      if (!(event.data instanceof ArrayBuffer) || event.data.byteLength < 41) { return; }
      const view = new DataView(event.data);  // 20 bytes of frame header, then the update
      if (view.getUint8(1) !== KIND) { return; }
      bench.updates += 1;
      bench.keyframes += view.getUint8(40) & 1;
      bench.arrived[view.getUint32(20)] = {
        captured: view.getUint32(24) * 4294967296 + view.getUint32(28), at: now(),
      };
    });
  }
  send(data) {
    if (typeof data === "string" && data.includes('"screen.pull"')) {
      bench.quality = JSON.parse(data).quality;
    }
    return super.send(data);
  }
};
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("screen-canvas");
  if (!canvas) { return; }
  const context = canvas.getContext("2d");
  const width = 2 * BITS * BLOCK;
  new MutationObserver(() => {
    const at = now();
    bench.frames += 1;
    const data = context.getImageData(0, 0, width, BLOCK).data;
    const middle = BLOCK >> 1;  // the centre of each block, its green channel
    const bit = (i) => (data[(middle * width + i * BLOCK + middle) * 4 + 1] > 127 ? 1 : 0);
    let number = 0, check = 0;
    for (let i = 0; i < BITS; i += 1) { number |= bit(i) << i; check |= bit(BITS + i) << i; }
    if ((number ^ check) !== (1 << BITS) - 1) { bench.unreadable += 1; return; }
    if (!(number in bench.seen)) { bench.seen[number] = { at: at, frame: +canvas.dataset.frame }; }
  }).observe(canvas, { attributes: true, attributeFilter: ["data-frame"] });
});
"""


def device_program(server_url: str, key_dir: str) -> None:
    """Runs in its own process: the assistant's live channel, consent and screen sharing,
    every screen view answered "share my whole screen" as the customer would click it."""
    asyncio.run(serve_as_device(server_url, key_dir))


async def serve_as_device(server_url: str, key_dir: str) -> None:
    from assistant.escalation.channel import DeviceChannel
    from assistant.escalation.consent import Answer, ConsentResponder
    from assistant.escalation.screen_share import ScreenShare
    from assistant.premium.device_keys import DeviceKey

    key = DeviceKey.load_or_create(Path(key_dir))
    channel = DeviceChannel(server_url=server_url, device_key=key)
    consent = ConsentResponder(channel, ask=lambda _question: Answer(True, choice="screen"))
    share = ScreenShare(channel)
    consent.serve("screen_view", share.view_kind)
    sent = {"frames": 0, "bytes": 0}
    send = channel.send_encoded

    async def counted(data: bytes) -> bool:  # every screen update leaves through here
        sent["frames"] += 1
        sent["bytes"] += len(data)
        return await send(data)

    channel.send_encoded = counted
    running = asyncio.create_task(channel.run())
    if not await channel.wait_connected(30):
        raise SystemExit("the device's channel did not connect")
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, sys.stdin.readline):  # "count", until closed
        print(json.dumps(sent), flush=True)
    await share.stop_all("assistant_closed")
    await channel.close()
    await running


class Device:
    """The customer's assistant as a process of its own (so its CPU time is its own)."""

    def __init__(self, server_url: str, key_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--device", server_url, str(key_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def sent(self) -> dict:
        """Screen updates sent so far: frames and bytes."""
        self.process.stdin.write("count\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def keep_key(key, directory: Path) -> Path:
    """The seeded device key where the assistant keeps its own (a PEM file of the owner's)."""
    from cryptography.hazmat.primitives import serialization

    from assistant.premium.device_keys import KEY_FILE_NAME
    from isp_common.private_files import write_private_file

    directory.mkdir(mode=0o700)
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private_file(directory / KEY_FILE_NAME, pem)
    return directory


def hotline_chat(device_id: str, agent_id: int) -> int:
    """A chat the customer started from the device, assigned to the agent: the screen view
    is asked in it."""
    from agent_portal.auth.models import StaffMember
    from agent_portal.chat import routing
    from agent_portal.chat import service as chat_service
    from agent_portal.config import PortalSettings
    from agent_portal.customers.models import Device as DeviceRow
    from agent_portal.database import make_engine, make_session_factory, utcnow
    from isp_common.live_wire import Topic

    engine = make_engine(PortalSettings().database_url)
    with make_session_factory(engine)() as db_session:
        conversation = chat_service.start_conversation(
            db_session=db_session,
            customer_id=db_session.get(DeviceRow, device_id).customer_id,
            device_id=device_id,
            topic=Topic.wifi,
            client_msg_id="benchmark",
            text="Mein WLAN bricht abends ab.",
            now=utcnow(),
        ).conversation
        agent = db_session.get(StaffMember, agent_id)
        routing.assign(db_session=db_session, conversation=conversation, agent=agent, now=utcnow())
        db_session.commit()
        conversation_id = conversation.id
    engine.dispose()
    return conversation_id


def start_portal(scratch: Path, stack: contextlib.ExitStack) -> tuple[str, int, str, int, Path]:
    """A fresh portal as its own process, seeded as `benchmarks/relay.py` seeds it, with a
    chat: its URL and pid, the agent's session token, the chat's id, the device's key."""
    from relay import free_port, seed, wait_for_port

    env = {
        "PORTAL_DATA_DIR": str(scratch),
        "PORTAL_DATABASE_URL": "",
        "PORTAL_PUBSUB_URL": "",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)  # the seeding here and the server read the same settings
    key, token, agent_id = seed()
    chat = hotline_chat(key.device_id, agent_id)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "agent_portal.cli", "serve", "--host", "127.0.0.1"]
        + ["--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    stack.callback(server.wait, 30)  # at the end: terminated, then waited for
    stack.callback(server.terminate)
    wait_for_port(port, server)
    key_dir = keep_key(key, scratch / "device")
    return f"http://127.0.0.1:{port}", server.pid, token, chat, key_dir


def open_viewer(stack: contextlib.ExitStack, url: str, token: str, chat: int):
    """Chromium, the agent signed in: asks to see the screen in the chat, opens the viewer
    once the customer allowed it, and waits for the first picture."""
    from playwright.sync_api import sync_playwright

    from agent_portal.auth.deps import SESSION_COOKIE
    from isp_common.screen_wire import SCREEN_UPDATE

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is missing: install the Debian package chromium")
    playwright = stack.enter_context(sync_playwright())
    browser = playwright.chromium.launch(
        executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
    )
    stack.callback(browser.close)
    context = browser.new_context()
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": url}])
    constants = f"const KIND = {SCREEN_UPDATE}, BITS = {BITS}, BLOCK = {BLOCK};"
    context.add_init_script(f"(() => {{ {constants}\n{WATCHER} }})();")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{url}/portal/chats/{chat}")
    page.wait_for_selector("#screen-sharing[data-loaded]")
    page.fill("#screen-reason", "Ich möchte die Router-Seite sehen.")
    page.get_by_role("button", name="Ask to see the screen").click()
    page.get_by_test_id("open-viewer").click()
    page.wait_for_selector("#screen-canvas[data-frame]")
    return page


def through_server(content, seconds: float) -> dict:
    """Each case stamped and shared through the portal into the viewer, for `seconds`."""
    from relay import CpuMeter

    with (
        tempfile.TemporaryDirectory(prefix="screen-bench-") as scratch,
        contextlib.ExitStack() as stack,
    ):
        say("through the server: seeding and starting the portal")
        url, server_pid, token, chat, key_dir = start_portal(Path(scratch), stack)
        device = Device(url, key_dir)
        stack.callback(device.stop)
        say("the agent asks in Chromium, the assistant shares the screen")
        page = open_viewer(stack, url, token, chat)
        meters = CpuMeter([server_pid]), CpuMeter([device.process.pid])
        return {
            case: server_round(case, content, page, device, meters, seconds)
            for case in ("terminal", "scroll")
        }


def server_round(case: str, content, page, device, meters, seconds: float) -> dict:
    say(f"through the server: {case} for {seconds:g} s")
    content.command(case)
    time.sleep(1)  # the viewer has the case's whole picture; its JPEG quality has settled
    server, sender = meters
    counters = ("frames", "updates", "keyframes", "unreadable")
    before, sent_before = page.evaluate("screenBench"), device.sent()
    server.start()
    sender.start()
    started = time.monotonic()
    drawn = content.stamped(case, seconds)
    wall = time.monotonic() - started
    server.stop()
    sender.stop()
    sent = {key: value - sent_before[key] for key, value in device.sent().items()}
    after = page.evaluate("screenBench")
    counted = {key: after[key] - before[key] for key in counters}
    time.sleep(0.3)  # the last numbers reach the canvas
    bench = page.evaluate("screenBench")
    return {
        **delays(drawn, bench),
        "unreadable": counted["unreadable"],
        "viewer_fps": round(counted["frames"] / wall, 1),
        "keyframe_share": round(counted["keyframes"] / max(1, counted["updates"]), 2),
        "quality": bench["quality"],
        "kib": round(sent["bytes"] / max(1, sent["frames"]) / 1024, 1),
        "sender_cpu_share": round(sender.seconds / wall, 3),
        "server_cpu_ms_per_mib": round(server.seconds * 1000 / max(1, sent["bytes"]) * MIB, 1),
        "server_cpu_share": round(server.seconds / wall, 3),
    }


def delays(drawn: dict[int, float], bench: dict) -> dict:
    """From each number on the screen to the canvas showing it (ms), and the medians of its
    parts: until the sender grabbed it, from the grab to the viewer's socket, to the canvas."""
    total, grab, transit, paint = [], [], [], []
    for number, at in drawn.items():
        seen = bench["seen"].get(str(number))
        if seen is None:
            continue  # never shown: the sender grabbed the screen after the next step
        total.append(seen["at"] - at * 1000)
        update = bench["arrived"].get(str(seen["frame"]))
        if update is not None:
            grab.append(update["captured"] - at * 1000)
            transit.append(update["at"] - update["captured"])
            paint.append(seen["at"] - update["at"])

    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 1) if values else None

    def p95(values: list[float]) -> float | None:
        return round(statistics.quantiles(values, n=20)[-1], 1) if len(values) > 1 else None

    return {
        "numbers_drawn": len(drawn),
        "numbers_shown": len(total),
        "latency_p50_ms": median(total),
        "latency_p95_ms": p95(total),
        "until_grab_ms": median(grab),
        "grab_to_viewer_ms": median(transit),
        "viewer_draw_ms": median(paint),
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--quality", type=int, default=70)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--tile", type=int, default=32, help="tile side in pixels")
    parser.add_argument("--subsampling", default="420", help="JPEG chroma: 444, 422 or 420")
    parser.add_argument("--bridge", type=int, default=1, help="unchanged tiles joined in runs")
    parser.add_argument("--content", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--device", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.content:
        content_program()
        return 0
    if args.device:
        device_program(*args.device)
        return 0

    say(f"starting Xvfb ({WIDTH}x{HEIGHT}) and the content")
    xvfb, display = start_xvfb()
    os.environ["DISPLAY"] = display
    from assistant.screen._x11 import X11Platform

    platform = X11Platform(display)
    content = Content(display)
    try:
        options = {"tile": args.tile, "subsampling": args.subsampling, "bridge": args.bridge}
        say(f"sender alone: terminal, {args.frames} frames")
        terminal = measure_case("terminal", content, platform, args.frames, args.quality, options)
        say(f"sender alone: scrolling, {args.frames} frames")
        scroll = measure_case("scroll", content, platform, args.frames, args.quality, options)
        say(f"live ScreenStream for {args.seconds:g} s")
        live = measure_live(content, platform, args.seconds, args.quality)
        viewed = through_server(content, args.seconds)
    finally:
        content.stop()
        xvfb.terminate()
        xvfb.wait(10)

    report(args, terminal, scroll, live, viewed)
    return 0


def report(args, terminal: dict, scroll: dict, live: dict, viewed: dict) -> None:
    print(f"{WIDTH}x{HEIGHT} on Xvfb, JPEG quality {args.quality}, {args.frames} frames per case")
    for label, row in (("terminal, ~5 % changing", terminal), ("page scrolling", scroll)):
        print(
            f"{label} ({row['changed_share']:.1%} of the screen changed): "
            f"encode {row['encode_ms']} ms (p50 {row['encode_ms_p50']}), {row['kib']} KiB "
            f"per frame, {row['fps']} frames/s with grab {row['grab_ms']} ms and masks "
            f"{row['mask_ms']} ms; {row['rects']} rectangles per frame, copies in "
            f"{row['frames_with_copies']} frames"
        )
        print(
            f"  baseline, the same frames as one full JPEG: {row['full_jpeg_ms']} ms, "
            f"{row['full_jpeg_kib']} KiB per frame, {row['full_jpeg_fps']} frames/s"
        )
    print(
        f"live ScreenStream, terminal changing 30 times a second: {live['fps']} frames/s, "
        f"{live['kib']} KiB per frame, sender CPU {live['cpu_share']:.0%} of one core"
    )
    for label, row in (("terminal", viewed["terminal"]), ("scrolling", viewed["scroll"])):
        print(
            f"through the server into Chromium, {label} changing 30 times a second: latency "
            f"p50 {row['latency_p50_ms']} ms, p95 {row['latency_p95_ms']} ms "
            f"({row['numbers_shown']} of {row['numbers_drawn']} numbers shown, "
            f"{row['unreadable']} unreadable); {row['viewer_fps']} frames/s drawn, "
            f"{row['kib']} KiB per frame ({row['keyframe_share']:.0%} keyframes, the viewer "
            f"asking quality {row['quality']}), assistant CPU {row['sender_cpu_share']:.0%} "
            f"of one core, server CPU {row['server_cpu_ms_per_mib']} ms per MiB "
            f"({row['server_cpu_share']:.0%} of one core)"
        )
        print(
            f"  latency's parts (medians): until grabbed {row['until_grab_ms']} ms, grab to "
            f"the viewer's socket {row['grab_to_viewer_ms']} ms, to the canvas "
            f"{row['viewer_draw_ms']} ms"
        )
    shared = viewed["terminal"]
    result = {
        "fps_5pct": terminal["fps"],
        "encode_ms_5pct": terminal["encode_ms"],
        "kib_5pct": terminal["kib"],
        "cpu_share_5pct": live["cpu_share"],
        "latency_p50_ms": shared["latency_p50_ms"],
        "kib_scroll": scroll["kib"],
        "kib_full_jpeg": terminal["full_jpeg_kib"],
        "encode_ms_scroll": scroll["encode_ms"],
        "kib_full_jpeg_scroll": scroll["full_jpeg_kib"],
        "encode_ms_full_jpeg": terminal["full_jpeg_ms"],
        "live_fps_5pct": live["fps"],
        "changed_share_5pct": terminal["changed_share"],
        "latency_p95_ms": shared["latency_p95_ms"],
        "viewer_fps_5pct": shared["viewer_fps"],
        "viewer_kib_5pct": shared["kib"],
        "viewer_keyframe_share_5pct": shared["keyframe_share"],
        "viewer_quality_5pct": shared["quality"],
        "device_cpu_share_5pct": shared["sender_cpu_share"],
        "server_cpu_ms_per_mib": shared["server_cpu_ms_per_mib"],
        "latency_p50_ms_scroll": viewed["scroll"]["latency_p50_ms"],
        "viewer_fps_scroll": viewed["scroll"]["viewer_fps"],
        "viewer_kib_scroll": viewed["scroll"]["kib"],
        "goals_met": goals_met(terminal, scroll, live, shared),
    }
    print(json.dumps(result))


def goals_met(terminal: dict, scroll: dict, live: dict, shared: dict) -> dict:
    latency = shared["latency_p50_ms"]
    return {
        "fps_5pct": terminal["fps"] >= GOALS["fps_5pct"],
        "viewer_fps_5pct": shared["viewer_fps"] >= GOALS["fps_5pct"],
        "encode_ms_5pct": terminal["encode_ms"] <= GOALS["encode_ms_5pct"],
        "kib_5pct": terminal["kib"] <= GOALS["kib_5pct"],
        "cpu_share_5pct": live["cpu_share"] < GOALS["cpu_share_5pct"],
        "device_cpu_share_5pct": shared["sender_cpu_share"] < GOALS["cpu_share_5pct"],
        "latency_p50_ms": latency is not None and latency < GOALS["latency_p50_ms"],
        "kib_scroll": scroll["kib"] <= GOALS["kib_scroll"],
    }


if __name__ == "__main__":
    sys.exit(main())
