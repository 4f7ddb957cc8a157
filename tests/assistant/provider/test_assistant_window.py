"""The real assistant (headless, installed with a build that pins the portal's key) takes
the ISP's provider profile from the portal on loopback: its e-mail check finds the ISP's
real SMTP server healthy, the page says where each tested value came from, and the
hotline's number stands where the customer is told to call. Offline it keeps using the
copy it kept, unless someone edited that copy: then it believes nothing of it."""

from __future__ import annotations

import base64
import json

import pytest

from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from assistant.provider.store import FILE_NAME
from tests.assistant.support import wait_until
from tests.support.premium_portal import unreachable_url
from tests.support.provider_fixtures import HOTLINE

# Where the built-in defaults may apply (1.1.1.1, example.com), only the e-mail check runs:
# no test reaches beyond this computer.
EMAIL_ONLY = {"ISP_ASSISTANT_CHECKS": "email.servers"}


def check(client, check_id: str) -> dict | None:
    state = client.get("/api/state").json()
    return next(view for view in state["checks"] if view["id"] == check_id)


def settled(client, check_id: str, status: str) -> dict | None:
    view = check(client, check_id)
    return view if view["state"] == "done" and view["status"] == status else None


def test_the_email_check_passes_against_the_mail_server_of_the_profile(
    portal, keys, start_assistant, mail_server, tmp_path
):
    build = assistant_build_config(keys=keys, servers=[portal.url])
    assistant = start_assistant(portal.url, build=build, data_dir=tmp_path / "computer")
    with assistant.client() as client:
        # The first run may start before the profile arrives; its arrival runs them again.
        email = wait_until(lambda: settled(client, "email.servers", "ok"), timeout=60)
        provider = client.get("/api/provider").json()
        internet = wait_until(lambda: settled(client, "internet.reachability", "ok"), timeout=60)

    assert [finding["id"] for finding in email["findings"]] == ["email.servers.ok"]
    assert internet["findings"][0]["id"] == "internet.reachability.ok"
    assert provider["from_provider"] and provider["name"] == "Example ISP"
    assert provider["hotline_phone"] == HOTLINE
    assert provider["hotline_href"] == "tel:0800222333"
    port = mail_server.server.port
    assert provider["checks"]["email.servers"] == {
        "source": "provider",
        "text": f"Mail servers: SMTP 127.0.0.1:{port} (STARTTLS) (from your provider's settings)",
    }
    assert (tmp_path / "computer" / FILE_NAME).exists()


def test_offline_the_kept_profile_is_used_but_an_edited_one_is_not(
    portal, keys, start_assistant, tmp_path
):
    build = assistant_build_config(keys=keys, servers=[portal.url])
    computer = tmp_path / "computer"
    first = start_assistant(portal.url, build=build, data_dir=computer)
    with first.client() as client:
        wait_until(lambda: client.get("/api/provider").json()["from_provider"], timeout=30)
    first.stop()
    # The server out of reach from now on: only the kept copy can tell the provider's values.
    away = assistant_build_config(keys=keys, servers=[unreachable_url()])
    offline = start_assistant(None, build=away, data_dir=computer, **EMAIL_ONLY)
    with offline.client() as client:
        assert wait_until(lambda: settled(client, "email.servers", "ok"))
        assert client.get("/api/provider").json()["hotline_phone"] == HOTLINE
    offline.stop()

    kept = json.loads((computer / FILE_NAME).read_text())
    part = kept["signed"]["profile"]
    content = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    content["hotline_phone"] = "0900 666 666"  # a premium-rate number of someone else's
    changed = base64.urlsafe_b64encode(json.dumps(content).encode()).rstrip(b"=").decode()
    kept["signed"]["profile"] = changed
    (computer / FILE_NAME).write_text(json.dumps(kept))

    edited = start_assistant(None, build=away, data_dir=computer, **EMAIL_ONLY)
    with edited.client() as client:
        email = wait_until(lambda: settled(client, "email.servers", "unknown"))
        provider = client.get("/api/provider").json()

    assert not provider["from_provider"] and provider["hotline_phone"] is None
    assert provider["checks"]["email.servers"]["source"] == "default"
    assert "mail servers are not known here" in email["reason"]
    assert "0900" not in json.dumps(provider)


def test_a_profile_signed_by_a_key_the_build_does_not_pin_is_not_used(
    portal, start_assistant, tmp_path
):
    """The portal is reachable and answers, but the build pins another server's key: the
    checks keep the built-in defaults and the page says why."""
    someone_else = ServerKeys.in_data_dir(tmp_path / "another-server")
    build = assistant_build_config(keys=someone_else, servers=[portal.url])
    assistant = start_assistant(portal.url, build=build, **EMAIL_ONLY)
    with assistant.client() as client:
        provider = wait_until(
            lambda: (answer := client.get("/api/provider").json())["problem"] and answer
        )
        email = wait_until(lambda: settled(client, "email.servers", "unknown"))

    assert not provider["from_provider"] and provider["hotline_phone"] is None
    assert "not signed by your provider; they were not used" in provider["problem"]
    assert provider["checks"]["internet.reachability"]["text"] == (
        "Test addresses: 1.1.1.1:443, 9.9.9.9:443 (the assistant's built-in defaults)"
    )
    assert "mail servers are not known here" in email["reason"]


@pytest.mark.browser
def test_the_window_shows_the_hotline_where_it_says_to_call(
    page, portal, keys, start_assistant, internet, output_dir
):
    """The internet test address is set on this computer to one that does not answer: the
    finding says to call us, and the number is the profile's."""
    build = assistant_build_config(keys=keys, servers=[portal.url])
    nowhere = json.dumps([f"127.0.0.1:{internet.nowhere}"])
    assistant = start_assistant(portal.url, build=build, ISP_ASSISTANT_INTERNET_ENDPOINTS=nowhere)
    page.goto(assistant.url)
    page.wait_for_selector("body[data-provider='provider']", timeout=30_000)
    page.wait_for_selector("[data-check='internet.reachability'][data-status='critical']")
    assert page.inner_text("#hotline") == f"Hotline {HOTLINE}"
    assert page.get_attribute("#hotline-number", "href") == "tel:0800222333"
    assert "settings of Example ISP" in page.inner_text("#provider-note")

    page.click("[data-check='internet.reachability'] .check-row")
    details = page.locator("#details-internet-reachability")
    call = details.locator(".finding[data-calls-hotline] .hotline-line")
    call.wait_for()
    assert call.inner_text() == f"Your provider's hotline: {HOTLINE}"
    source = details.locator(".value-source")
    assert source.get_attribute("data-source") == "computer"
    assert source.inner_text() == (
        f"Test addresses: 127.0.0.1:{internet.nowhere} (set on this computer)"
    )
    page.screenshot(path=str(output_dir / "assistant-provider-hotline.png"), full_page=True)
