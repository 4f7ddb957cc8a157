"""The local API answers only the assistant's own page: no secret, a foreign Host or a
foreign Origin get 403 and change nothing; no CORS header is ever sent. And what it does
answer keeps premium results locked away."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.assistant.support import PREMIUM_CHECKS, AssistantProcess, wait_until
from tests.support.portal_data import TLS_CHECK


def settings_file(assistant: AssistantProcess) -> dict:
    path = assistant.environ["ISP_ASSISTANT_DATA_DIR"] + "/settings.json"
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return {}


def assert_refused(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 403, response.text
    assert reason in response.json()["error"]
    assert "access-control-allow-origin" not in response.headers


def test_without_the_secret_nothing_is_served(shared_assistant):
    with httpx.Client(verify=TLS_CHECK, base_url=shared_assistant.base_url, timeout=30) as stranger:
        for path in ("/", "/api/state", "/api/report", "/static/app.js", "/api/history"):
            assert_refused(stranger.get(path), "missing secret")
        assert_refused(stranger.post("/api/settings", json={"language": "de"}), "missing secret")
        assert_refused(stranger.get("/?token=guessed"), "wrong secret")
        stranger.cookies.set(f"isp_assistant_{shared_assistant.port}", "guessed")
        assert_refused(stranger.get("/api/state"), "wrong secret")
    assert settings_file(shared_assistant).get("language") is None


def test_the_start_address_trades_the_secret_for_a_strict_cookie(shared_assistant):
    with httpx.Client(verify=TLS_CHECK, base_url=shared_assistant.base_url, timeout=30) as browser:
        response = browser.get(f"/?token={shared_assistant.token}")
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        page = browser.get("/")
        assert page.status_code == 200
        assert "Internet Assistant" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost"])
def test_a_foreign_host_is_refused_even_with_the_cookie(shared_assistant, host):
    # A web page that re-points its own name at 127.0.0.1 (DNS rebinding) sends that name.
    with shared_assistant.client() as client:
        forged = {"host": host.format(port=shared_assistant.port)}
        assert_refused(client.get("/api/state", headers=forged), "wrong host")
        refused = client.post("/api/settings", json={"language": "de"}, headers=forged)
        assert_refused(refused, "wrong host")
        assert client.get("/api/settings").json()["language"] == "en"
    assert settings_file(shared_assistant).get("language") is None


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://127.0.0.1:1"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},  # another port of this computer
    ],
)
def test_a_request_from_another_site_is_refused_and_changes_nothing(shared_assistant, headers):
    with shared_assistant.client() as client:
        refused = client.post("/api/settings", json={"language": "de"}, headers=headers)
        assert_refused(refused, "foreign origin")
        assert_refused(client.post("/api/run", headers=headers), "foreign origin")
        assert client.get("/api/settings").json()["language"] == "en"
    assert settings_file(shared_assistant).get("language") is None


def test_the_page_itself_may_change_settings(start_assistant):
    assistant = start_assistant()
    own = {"origin": assistant.base_url, "sec-fetch-site": "same-origin"}
    with assistant.client() as client:
        changed = client.post("/api/settings", json={"language": "de"}, headers=own)
        assert changed.status_code == 200, changed.text
        assert changed.json()["language"] == "de"
    assert settings_file(assistant)["language"] == "de"


def test_no_cors_headers_are_ever_sent(shared_assistant):
    preflight_headers = {
        "origin": "https://evil.example",
        "access-control-request-method": "POST",
    }
    with shared_assistant.client() as client:
        responses = [
            client.get("/api/state"),
            client.get("/api/state", headers={"origin": shared_assistant.base_url}),
            client.options("/api/settings", headers=preflight_headers),
            client.get("/static/app.js", headers={"origin": shared_assistant.base_url}),
        ]
    for response in responses:
        assert not any(name.startswith("access-control-") for name in response.headers)


def test_bad_input_gets_a_clear_error_and_changes_nothing(shared_assistant):
    with shared_assistant.client() as client:
        wrong = client.post("/api/settings", json={"language": "fr"})
        assert wrong.status_code == 422
        assert "language" in wrong.json()["error"]
        assert client.post("/api/quick-links/format-disk").status_code == 404
        assert client.get("/api/settings").json()["language"] == "en"


def finished_state(client: httpx.Client) -> dict:
    return wait_until(
        lambda: (state := client.get("/api/state").json())["run"]["finished"] and state,
        message="the checks did not finish",
    )


def test_locked_premium_checks_are_described_but_never_answered(shared_assistant):
    with shared_assistant.client() as client:
        state = finished_state(client)
        report = client.get("/api/report").json()

    checks = {check["id"]: check for check in state["checks"]}
    for check_id in PREMIUM_CHECKS:
        locked = checks[check_id]
        assert locked["state"] == "locked"
        assert locked["findings"] == [] and locked["status"] is None
        assert locked["description"]
    assert checks["internet.gateway"]["status"] == "critical"
    assert state["run"]["total"] == len(checks) - len(PREMIUM_CHECKS)
    assert not {c["check_id"] for c in report["checks"]} & set(PREMIUM_CHECKS)


def test_the_history_keeps_premium_numbers_locked(shared_assistant):
    with shared_assistant.client() as client:
        finished_state(client)
        history = wait_until(lambda: client.get("/api/history").json()["entries"])

    latest = history[-1]
    assert latest["latency_ms"] is not None  # the free internet check measured it
    assert latest["cpu_percent"] is None and latest["memory_percent"] is None


def test_quitting_through_the_api_ends_the_process_cleanly(start_assistant):
    assistant = start_assistant()
    with assistant.client() as client:
        assert client.post("/api/quit").status_code == 202
    assert assistant.wait_for_exit() == 0


def test_sigterm_ends_the_process_cleanly(start_assistant):
    assistant = start_assistant()
    assert assistant.stop() == 0


def test_without_a_screen_it_runs_headless_and_says_so(start_assistant):
    assistant = start_assistant("--lang", "en")  # no --headless, and no DISPLAY set
    with assistant.client() as client:
        assert client.get("/api/state").json()["mode"] == "headless"
    assert assistant.stop() == 0
    assert "No screen found" in assistant.errors()


def test_the_window_saves_the_report_to_the_downloads_folder(shared_assistant):
    downloads = shared_assistant.environ["ISP_ASSISTANT_DOWNLOADS_DIR"]
    with shared_assistant.client() as client:
        finished_state(client)
        report = client.get("/api/report").json()
        saved = client.post("/api/report/save", json={"format": "html"})
        refused = client.post("/api/report/save", json={"format": "exe"})

    assert saved.status_code == 200, saved.text
    path = saved.json()["path"]
    assert path.startswith(downloads) and path.endswith(".html")
    with open(path, encoding="utf-8") as file:
        assert report["report_id"] in file.read()
    assert refused.status_code == 422
