"""The portal's routes of screen sharing over real HTTP, with the customer's device online:
the conversation's agent asks with a reason (without one, or in a colleague's chat, or with
the device offline, nothing is asked); an expert asks in their own pre-chat; the viewer,
its state, control and Stop answer only the view's asker; control without a granted view
is refused with a clear error."""

from __future__ import annotations

import re

import pytest

from agent_portal.consent.models import ConsentRequest
from tests.agent_portal.screen_sharing.support import ScreenDevice, expert_prechat, hotline_chat
from tests.support.live import wait_until


@pytest.fixture
def scene(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    bob = world.staff("bob.keller", name="Bob Keller")
    chat = hotline_chat(world, customer, device, anna)
    return {
        "customer": customer,
        "device": device,
        "key": key,
        "anna": anna,
        "bob": bob,
        "chat": chat,
    }


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def post(client, path: str, form_page: str, **data):
    return client.post(path, data={"csrf_token": csrf(client, form_page), **data})


def test_asking_and_who_may_open_the_viewer(portal, world, scene, agent_http):
    anna, bob = agent_http(scene["anna"]), agent_http(scene["bob"])
    page = f"/portal/chats/{scene['chat']}"
    card = anna.get(f"{page}/screen-card")
    assert card.status_code == 200 and "Ask to see the screen" in card.text

    # The device is offline: nobody is asked.
    offline = post(anna, f"{page}/screen", page, reason="Router ansehen")
    assert offline.status_code == 409
    assert "The customer&#39;s computer is offline" in offline.text
    assert world.count(ConsentRequest) == 0

    device = ScreenDevice(portal.url, scene["key"])
    try:
        no_reason = post(anna, f"{page}/screen", page, reason="  ")
        assert no_reason.status_code == 409
        assert "Say why you want to see the screen" in no_reason.text
        assert post(bob, f"{page}/screen", "/portal/inbox", reason="Neugier").status_code == 403
        assert world.count(ConsentRequest) == 0

        asked = post(anna, f"{page}/screen", page, reason="Router ansehen")
        assert asked.status_code == 303 and asked.headers["location"].endswith("#screen-sharing")
        (view,) = world.rows(ConsentRequest)
        assert (view.kind, view.reason, view.requested_by_name) == (
            "screen_view",
            "Router ansehen",
            "Anna Berger",
        )
        viewer = f"/portal/screen/{view.id}"
        assert anna.get(f"{viewer}/state").json() == {
            "view": "pending",
            "control": None,
            "control_id": None,
        }
        refused = post(anna, f"{viewer}/control", viewer)
        assert refused.status_code == 409
        assert "Remote control can only be asked for while the customer lets you see" in (
            refused.text
        )
        assert world.count(ConsentRequest, ConsentRequest.kind == "control") == 0

        # Only Anna opens her view; Bob gets a 403, whatever he tries.
        assert anna.get(viewer).status_code == 200
        for method, path in (("GET", viewer), ("GET", f"{viewer}/state")):
            assert bob.request(method, path).status_code == 403
        bob_token = csrf(bob, "/portal/inbox")
        for action in ("control", "stop"):
            response = bob.post(f"{viewer}/{action}", data={"csrf_token": bob_token})
            assert response.status_code == 403
        assert anna.get("/portal/screen/" + "0" * 32).status_code == 404

        device.grant(view.id)
        wait_until(lambda: anna.get(f"{viewer}/state").json()["view"] == "granted", what="grant")
        assert "Open the screen view" in anna.get(f"{page}/screen-card").text
        assert post(anna, f"{viewer}/control", viewer).status_code == 303
        control = device.event("consent.request", kind="control")
        assert control.parent_id == view.id
        assert anna.get(f"{viewer}/state").json()["control"] == "pending"

        stopped = post(anna, f"{viewer}/stop", viewer)
        assert stopped.status_code == 303 and stopped.headers["location"].startswith(page)
        assert anna.get(f"{viewer}/state").json() == {
            "view": "ended",
            "control": "ended",
            "control_id": control.consent_id,
        }
    finally:
        device.stop()


def test_an_expert_asks_in_their_own_prechat(portal, world, scene, agent_http):
    prechat, expert = expert_prechat(world, scene["customer"], scene["device"])
    device = ScreenDevice(portal.url, scene["key"])
    try:
        client = agent_http(expert)
        page = f"/portal/chats/{prechat}"
        assert post(client, f"{page}/screen", page, reason="NAS prüfen").status_code == 303
        request = device.event("consent.request", kind="screen_view")
        assert (request.requester_name, request.requester_role) == ("Eva Experte", "expert")
        hotline = f"/portal/chats/{scene['chat']}"
        token = csrf(client, page)
        refused = client.post(f"{hotline}/screen", data={"csrf_token": token, "reason": "x"})
        assert refused.status_code == 403
    finally:
        device.stop()
