"""The assistant talks only to the servers its installation names: the page cannot send the
customer's password anywhere else, nor make another server the one it uses, and an
assistant installed without a server signs in nowhere."""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from agent_portal.demo_assistant import install_assistant
from agent_portal.entitlements.service import assistant_build_config
from tests.support.premium_portal import PASSWORD, provision

SIGN_IN = {"account_number": "K-100234", "password": PASSWORD, "device_name": "Laptop"}
NOT_ALLOWED = (
    "This is not the address of your internet provider's server. The assistant only talks "
    "to the servers it was set up for."
)


class Decoy(ThreadingHTTPServer):
    """A server someone asks the customer to enter; it notes every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        decoy = self

        class Handler(BaseHTTPRequestHandler):
            def _note(self) -> None:
                decoy.requests.append(f"{self.command} {self.path}")
                self.send_error(404)

            do_GET = do_POST = _note

            def log_message(self, *_args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def decoy() -> Iterator[Decoy]:
    server = Decoy()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_page_cannot_send_the_password_to_a_server_the_installation_does_not_name(
    portal, keys, api, start_assistant, decoy
):
    provision(api, "K-100234", tier="premium")
    assistant = start_assistant(portal.url, pin=keys)

    with assistant.client() as client:
        refused = client.post("/api/premium/sign-in", json={**SIGN_IN, "server_url": decoy.url})
        assert refused.status_code == 422
        assert refused.json()["code"] == "server_not_allowed"
        assert refused.json()["error"] == NOT_ALLOWED
        settings = client.post("/api/settings", json={"server_url": decoy.url})
        assert settings.status_code == 422
        assert client.get("/api/settings").json()["server_url"] == portal.url
        assert client.get("/api/premium").json()["servers"] == [portal.url]

        signed_in = client.post("/api/premium/sign-in", json=SIGN_IN)
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["tier_name"] == "Premium"
    assert decoy.requests == []


def test_an_assistant_installed_without_a_server_signs_in_nowhere(
    portal, api, start_assistant, decoy
):
    provision(api, "K-100234", tier="premium")
    assistant = start_assistant(None)

    with assistant.client() as client:
        assert client.get("/api/premium").json()["server_configured"] is False
        refused = client.post("/api/premium/sign-in", json=SIGN_IN)
        assert refused.status_code == 422
        assert refused.json()["code"] == "server_missing"
        assert refused.json()["error"] == (
            "This assistant has not been set up for your internet provider's server. "
            "Please install the assistant your internet provider offers."
        )
        for address in (portal.url, decoy.url, "portal"):
            typed = client.post("/api/premium/sign-in", json={**SIGN_IN, "server_url": address})
            assert typed.json()["code"] == "server_not_allowed", address
        assert client.get("/api/premium").json()["linked"] is False
    assert decoy.requests == []


def test_a_start_with_a_server_the_build_does_not_name_stops_with_a_message(
    portal, keys, tmp_path, decoy
):
    python = install_assistant(
        tmp_path / "installation", assistant_build_config(keys=keys, servers=[portal.url])
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ISP_ASSISTANT_")}
    environ["ISP_ASSISTANT_DATA_DIR"] = str(tmp_path / "data")

    started = subprocess.run(
        [str(python), "-m", "assistant.cli", "--headless", "--server", decoy.url],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )

    assert started.returncode == 2
    assert f"{decoy.url} is not one of this assistant's servers ({portal.url})" in started.stderr
    assert decoy.requests == []
