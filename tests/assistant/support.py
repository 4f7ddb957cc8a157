"""The real `isp-assistant` as a subprocess, on loopback stand-ins for the ISP's servers.

The checks that run are the real diagnostics code, limited to a fast set and pointed at
local addresses: the "internet" is a socket listening here, the router, its settings page
and the mail server are a port where nothing listens, so the results are the same on
every machine, and a few premium checks are listed to show the locked state.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.support.portal_data import TLS_CHECK

SCRIPT = Path(sys.executable).with_name("isp-assistant")
STARTUP_SECONDS = 30

FREE_CHECKS = [
    "internet.interfaces",
    "internet.gateway",
    "internet.dns",
    "internet.reachability",
    "internet.wifi",
    "internet.modem",
    "email.servers",
]
PREMIUM_CHECKS = ["computer.cpu", "computer.memory", "security.firewall"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackInternet:
    """A listening socket that stands in for the internet's endpoints."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.nowhere = closed_port()

    def close(self) -> None:
        self.sock.close()


def assistant_environment(data_dir: Path, internet: LoopbackInternet, **extra: str) -> dict:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ISP_ASSISTANT_") and key not in ("DISPLAY", "WAYLAND_DISPLAY")
    }
    nowhere = internet.nowhere
    environ.update(
        ISP_ASSISTANT_DATA_DIR=str(data_dir),
        ISP_ASSISTANT_DOWNLOADS_DIR=str(data_dir / "Downloads"),
        ISP_ASSISTANT_CHECKS=",".join(FREE_CHECKS + PREMIUM_CHECKS),
        ISP_ASSISTANT_INTERNET_ENDPOINTS=json.dumps([f"127.0.0.1:{internet.port}"]),
        ISP_ASSISTANT_GATEWAY="127.0.0.1",
        ISP_ASSISTANT_GATEWAY_PORTS=json.dumps([nowhere]),
        ISP_ASSISTANT_MODEM_URL=f"http://127.0.0.1:{nowhere}/",
        ISP_ASSISTANT_DNS_TEST_NAMES='["localhost"]',
        ISP_ASSISTANT_MAIL_SERVERS=json.dumps(
            [{"protocol": "imap", "host": "127.0.0.1", "port": nowhere}]
        ),
        ISP_ASSISTANT_NETWORK_TIMEOUT_SECONDS="2",
        ISP_ASSISTANT_CHECK_TIMEOUT_SECONDS="10",
        PYTHONUNBUFFERED="1",
        # The log (assistant.logs) in the test's folder, not the user's.
        XDG_STATE_HOME=str(data_dir / "state"),
    )
    environ.update(extra)
    return environ


class AssistantProcess:
    def __init__(
        self, args: list[str], environ: dict, log_path: Path, program: list[str] | None = None
    ) -> None:
        self.program = program or [str(SCRIPT)]  # or an installation's python -m assistant.cli
        self.args = args
        self.environ = environ
        self.log_path = log_path
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None
        self.url = ""
        self._seen_url = threading.Event()

    @property
    def base_url(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 0

    @property
    def token(self) -> str:
        return urlsplit(self.url).query.removeprefix("token=")

    def start(self) -> AssistantProcess:
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*self.program, *self.args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=self.environ,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        if not self._seen_url.wait(STARTUP_SECONDS):
            self.stop()
            raise AssertionError(f"the assistant printed no address; log:\n{self.errors()}")
        return self

    def _read(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("Assistant: http"):
                self.url = line.split(" ", 1)[1].strip()
                self._seen_url.set()

    def errors(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @contextlib.contextmanager
    def client(self) -> Iterator[httpx.Client]:
        """An HTTP client holding the session cookie, as the page would."""
        with httpx.Client(verify=TLS_CHECK, base_url=self.base_url, timeout=30) as client:
            try:
                response = client.get(f"/?token={self.token}", follow_redirects=False)
            except httpx.TransportError as error:  # gone: say how, with what it wrote
                status = self.process.poll() if self.process else None
                raise AssertionError(
                    f"the assistant did not answer ({error}); exit status {status}; "
                    f"log:\n{self.errors()}"
                ) from error
            assert response.status_code == 303, response.text
            yield client

    def wait_for_exit(self, timeout: float = 20) -> int:
        assert self.process
        return self.process.wait(timeout)

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()
        return self.process.returncode


def wait_until(condition, timeout: float = 20, interval: float = 0.05, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(message or "condition not met in time")
