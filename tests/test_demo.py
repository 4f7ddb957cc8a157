"""`make demo`: the portal comes up with demo data, its demo logins work, the assistant
starts beside it with the demo ISP's provider profile (its e-mail check finds the demo's
real mail server healthy), and Ctrl-C stops everything cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading

import httpx
import psutil
import pytest

from agent_portal.demo_data import DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_STAFF
from tests.agent_portal.auth.accounts import log_in
from tests.assistant.support import wait_until
from tests.support.portal_data import TLS_CHECK
from tests.support.postgres import free_port

pytestmark = pytest.mark.subprocess

# The checks whose values the demo ISP's profile gives, all on this computer; the others
# would test this machine's router and the internet.
DEMO_CHECKS = "internet.reachability,internet.dns,email.servers"


def passed(client: httpx.Client, base: str, check_id: str) -> dict | None:
    """The check's view once it has passed."""
    state = client.get(f"{base}/api/state").json()
    view = next(view for view in state["checks"] if view["id"] == check_id)
    return view if view["status"] == "ok" else None


def read_until(process: subprocess.Popen, marker: str, limit: int = 200) -> list[str]:
    lines = []
    for _ in range(limit):
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never appeared; output was:\n" + "\n".join(lines))


def test_demo_serves_the_portal_with_working_logins_and_stops_on_ctrl_c(tmp_path):
    environment = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PORTAL_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
        "ISP_ASSISTANT_CHECKS": DEMO_CHECKS,
    }
    environment.pop("DISPLAY", None)
    environment.pop("WAYLAND_DISPLAY", None)
    demo = subprocess.Popen(
        [sys.executable, "-m", "agent_portal.demo"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = read_until(demo, "Press Ctrl-C")
        portal_url = re.search(r"Portal:\s+(http://\S+)/login", "\n".join(output)).group(1)
        printed_logins = "\n".join(output)
        for username, _role, _name in DEMO_STAFF:
            assert username in printed_logins
        assert DEMO_PASSWORD in printed_logins

        with httpx.Client(
            verify=TLS_CHECK, base_url=portal_url, timeout=30, headers={"Accept-Language": "en"}
        ) as agent:
            assert log_in(agent, "agent", DEMO_PASSWORD).status_code == 303
            search = agent.get("/portal/customers", params={"q": "Müller"})
            assert DEMO_CUSTOMERS[0][1] in search.text
            page = agent.get(f"/portal/customers/{DEMO_CUSTOMERS[0][0]}")
            assert page.status_code == 200 and "Premium" in page.text

        output += read_until(demo, "Assistant")
        assistant_url = re.search(r"Assistant\S*\s+(http://127\.0\.0\.1:\d+\S*)", output[-1])
        assert assistant_url, output[-1]
        assert httpx.get(assistant_url.group(1), follow_redirects=True).status_code == 200
        # The demo's assistant is built for the demo server, its key pinned: a demo
        # customer's subscription unlocks Premium there.
        number, name, *_rest = DEMO_CUSTOMERS[0]
        with httpx.Client(verify=TLS_CHECK, timeout=30) as assistant:
            assistant.get(assistant_url.group(1))
            base = assistant_url.group(1).split("/?")[0]
            sign_in = {"account_number": number, "password": DEMO_PASSWORD}
            signed_in = assistant.post(f"{base}/api/premium/sign-in", json=sign_in)
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["customer_name"] == name
        assert signed_in.json()["tier_name"] == "Premium"

        # The demo ISP's profile names its mail server, which runs beside the portal: the
        # free e-mail check works out of the box.
        with httpx.Client(verify=TLS_CHECK, timeout=30) as assistant:
            assistant.get(assistant_url.group(1))
            email = wait_until(lambda: passed(assistant, base, "email.servers"), timeout=60)
            provider = assistant.get(f"{base}/api/provider").json()
        assert [finding["id"] for finding in email["findings"]] == ["email.servers.ok"]
        assert provider["name"] == "Demo ISP" and provider["hotline_phone"]
        assert provider["checks"]["email.servers"]["source"] == "provider"
        assert provider["checks"]["internet.reachability"]["source"] == "provider"
        children = psutil.Process(demo.pid).children(recursive=True)
        assert children, "the assistant runs as a child of the demo"
    finally:
        demo.send_signal(signal.SIGINT)
        # Read what it still prints while it stops: a full pipe would hold it up. Its
        # stop waits up to 10 s for the assistant and 10 s for the portal.
        threading.Thread(target=demo.stdout.read, daemon=True).start()
        exit_status = demo.wait(timeout=60)
    assert exit_status == 0
    assert not [child for child in children if child.is_running() and child.status() != "zombie"]
