"""The server's log: `agent-portal` writes what it logs to stderr with a timestamp, as text
or as JSON lines (`PORTAL_LOG_FORMAT=json`), uvicorn's request lines included, and never
a password, an API key or a session token."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from agent_portal.auth import service
from agent_portal.auth.deps import SESSION_COOKIE
from agent_portal.config import PortalSettings
from tests.agent_portal.auth.accounts import PASSWORD, Database, log_in
from tests.support.portal_data import TLS_CHECK
from tests.support.postgres import free_port

pytestmark = pytest.mark.subprocess

ROTATED = "rotated the entitlement signing key"


def portal_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    environ.update(PORTAL_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **settings)
    return environ


def agent_portal(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "agent_portal.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def json_lines(text: str) -> list[dict]:
    """Every line of `text` as JSON; fails on a line that is not."""
    entries = []
    for line in text.splitlines():
        entry = json.loads(line)
        assert datetime.fromisoformat(entry["time"]).tzinfo is not None, line
        assert {"level", "logger", "message"} <= entry.keys(), line
        entries.append(entry)
    return entries


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    with httpx.Client(verify=TLS_CHECK, timeout=1) as client:  # one for all tries
        while time.monotonic() < deadline:
            assert process.poll() is None, "the server ended while starting"
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
    raise AssertionError("the server did not answer within 90 seconds")


def test_the_server_logs_json_lines_with_its_requests_and_no_secrets(tmp_path):
    environ = portal_environment(
        tmp_path / "portal", PORTAL_LOG_FORMAT="json", PORTAL_LOG_LEVEL="info"
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "agent_portal.cli", "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(url, server)
        database = Database(PortalSettings(_env_file=None, data_dir=tmp_path / "portal"))
        database.create_staff("anna", "admin")
        with database.session() as db_session:
            api_key = service.create_api_key(db_session=db_session, name="billing").key
            db_session.commit()
        database.close()
        with httpx.Client(verify=TLS_CHECK, base_url=url, timeout=30) as client:
            assert log_in(client, "anna").status_code == 303
            session_token = client.cookies[SESSION_COOKIE]
            missing = client.get(
                "/api/v1/provisioning/customers/K-100001",
                headers={"Authorization": f"Bearer {api_key}"},
            )
            assert missing.status_code == 404
        rotated = agent_portal(environ, "rotate-signing-key")
        assert rotated.returncode == 0, rotated.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        stdout, stderr = server.communicate(timeout=60)

    served = json_lines(stderr)
    requests = [entry for entry in served if entry["logger"] == "uvicorn.access"]
    assert {"method": "POST", "path": "/login", "status": 303}.items() <= requests[-2].items()
    assert requests[-1]["path"] == "/api/v1/provisioning/customers/K-100001"
    assert requests[-1]["status"] == 404
    assert any(entry["message"].startswith("Uvicorn running on") for entry in served)
    [rotation] = [entry for entry in json_lines(rotated.stderr) if ROTATED in entry["message"]]
    assert rotation["level"] == "INFO" and rotation["logger"] == "isp_common.signing_keys"
    everything = stdout + stderr + rotated.stdout + rotated.stderr
    for secret in (PASSWORD, api_key, session_token):
        assert secret not in everything


def test_a_command_logs_text_with_the_time_by_default(tmp_path):
    rotated = agent_portal(portal_environment(tmp_path / "portal"), "rotate-signing-key")
    assert rotated.returncode == 0, rotated.stderr
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.search(rf"^{stamp} INFO isp_common\.signing_keys: {ROTATED}", rotated.stderr, re.M)


def test_a_log_setting_out_of_range_names_the_choices(monkeypatch):
    assert PortalSettings(_env_file=None, log_level="debug", log_format="JSON").log_level == "DEBUG"
    monkeypatch.setenv("PORTAL_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError, match=r"log_format\n.*'text' or 'json'"):
        PortalSettings(_env_file=None)
