"""The portal as an operator runs it: `agent-portal serve` in a process of its own, set up by
`PORTAL_*` environment variables alone. Several of them on one database are the workers
of one installation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.portal_data import TLS_CHECK
from tests.support.postgres import free_port

PROGRAM = Path(sys.executable).parent / "agent-portal"


class PortalProcess:
    def __init__(
        self, settings: dict[str, object], work_dir: Path, name: str, program: Path = PROGRAM
    ) -> None:
        """`settings`: `{"database_url": ..., "live_sweep_seconds": 0.2}` and so on, given
        to the process as PORTAL_ environment variables (and nothing else of this one's).
        `program`: the `agent-portal` of another installation than this one's."""
        self.program = program
        self.port = free_port()
        self.work_dir = work_dir
        self.work_dir.mkdir(parents=True, exist_ok=True)  # no .env of anyone else's here
        self.log_path = work_dir / f"{name}.log"
        self.environment = {
            name: value for name, value in os.environ.items() if not name.startswith("PORTAL_")
        }
        self.environment.update({f"PORTAL_{key.upper()}": str(v) for key, v in settings.items()})
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PortalProcess:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(self.program), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.work_dir,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_ready(self, timeout: float = 45) -> PortalProcess:
        """Until the server answers /readyz; fails with its output when it exits first."""
        deadline = time.monotonic() + timeout
        # One client for all the tries: each new one builds a TLS context, a tenth of a
        # second of a busy machine's processor, ten times a second.
        with httpx.Client(verify=TLS_CHECK, timeout=2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(
                        f"the portal exited ({self.process.returncode}):\n{self.log}"
                    )
                try:
                    if client.get(f"{self.url}/readyz").status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        raise AssertionError(f"the portal did not get ready within {timeout} s:\n{self.log}")

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """As an operator's service manager stops it: SIGTERM, then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
