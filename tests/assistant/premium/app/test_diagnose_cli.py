"""`isp-assistant diagnose` passes the same premium gate as the window, with what is stored
on the computer: a subscription unlocks the premium checks; without one they are listed as
locked with how to unlock; a one-time code typed into the window does not carry over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agent_portal.demo_assistant import install_assistant
from agent_portal.entitlements.service import assistant_build_config
from assistant.diagnostics import DiagnosticsReport
from tests.support.premium_portal import PASSWORD, provision


def diagnose(data_dir: Path, *args: str, python: Path | None = None) -> subprocess.CompletedProcess:
    """`isp-assistant diagnose`, from this environment or the installation of `python`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ISP_ASSISTANT_")}
    environ.update(ISP_ASSISTANT_DATA_DIR=str(data_dir), COLUMNS="200")
    return subprocess.run(
        [str(python or sys.executable), "-m", "assistant.cli", "diagnose", "--lang", "en", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


def test_without_a_subscription_the_premium_checks_are_listed_as_locked(tmp_path):
    done = diagnose(tmp_path / "new-computer", "--category", "computer")

    assert done.returncode == 0, done.stderr
    shown = " ".join(done.stdout.split())  # as read, whatever the terminal's width
    assert "Premium checks (locked)" in shown
    assert "Processor" in shown and "Running programs" in shown
    assert "Checks: 0 ·" in shown  # none of them ran
    assert "sign in once in the assistant's window with your customer number" in shown
    assert "A one-time code from the hotline unlocks only the window" in shown
    assert not (tmp_path / "new-computer" / "device-key.pem").exists()

    help_text = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "diagnose", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "does not carry over to this command" in " ".join(help_text.split())


def test_a_stored_subscription_unlocks_them_and_a_session_code_does_not(
    portal, keys, api, agent, assistants, tmp_path
):
    build = assistant_build_config(keys=keys, servers=[portal.url])
    python = install_assistant(tmp_path / "installation", build)
    provision(api, "K-100234", tier="premium")
    subscriber = assistants("subscriber")
    subscriber.sign_in("K-100234", password=PASSWORD)
    provision(api, "K-200300", tier="none")
    helped = assistants("helped")
    helped.sign_in("K-200300", password=PASSWORD)
    helped.unlock_with_code(agent.issue_code("K-200300"))
    assert helped.gate.allows("system_info")  # in the window that took the code

    unlocked = diagnose(subscriber.data_dir, "--json", "--category", "computer", python=python)
    still_locked = diagnose(helped.data_dir, "--json", "--category", "computer", python=python)

    ran = DiagnosticsReport.model_validate_json(unlocked.stdout)
    assert {"computer.cpu", "computer.processes"} <= {c.check_id for c in ran.checks}
    assert "Premium checks (locked)" not in unlocked.stderr
    assert json.loads(still_locked.stdout)["checks"] == []
    assert "Premium checks (locked)" in still_locked.stderr
