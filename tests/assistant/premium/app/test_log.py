"""The assistant keeps a log in the user's log folder: a sign-in and an unlock leave lines
with their time there, and neither the password, the code nor the page's launch secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.premium_portal import PASSWORD, provision

pytestmark = pytest.mark.subprocess

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR) "
)


def read_log(home: Path) -> str:
    """Every log file of the assistant under `home` (Linux: ~/.local/state/...), oldest
    first."""
    folder = home / ".local" / "state" / "isp-assistant" / "log"
    files = sorted(folder.glob("assistant.log*"), reverse=True)
    assert files, f"no log in {folder}"
    return "".join(path.read_text(encoding="utf-8") for path in files)


def test_sign_in_and_unlock_are_logged_with_times_and_without_secrets(
    portal, keys, api, agent, start_assistant, tmp_path
):
    provision(api, "K-100234", tier="none")
    home = tmp_path / "home"
    # The platform's own log folder: under HOME when XDG_STATE_HOME is not set.
    assistant = start_assistant(portal.url, pin=keys, HOME=str(home), XDG_STATE_HOME="")
    with assistant.client() as client:
        signed_in = client.post(
            "/api/premium/sign-in",
            json={"account_number": "K-100234", "password": PASSWORD, "device_name": "Laptop"},
        )
        assert signed_in.status_code == 200, signed_in.text
        code = agent.issue_code("K-100234")
        unlocked = client.post("/api/premium/unlock", json={"code": code})
        assert unlocked.status_code == 200 and unlocked.json()["session_active"]

    log = read_log(home)
    lines = log.splitlines()
    assert all(LINE.match(line) for line in lines if not line.startswith((" ", "Traceback")))
    assert re.search(r"signed in: this computer \(device \S+\) is linked to customer K-100234", log)
    assert "premium unlocked by an agent's code until" in log
    for secret in (assistant.token, PASSWORD, code, code.replace(" ", "")):
        assert secret not in log
