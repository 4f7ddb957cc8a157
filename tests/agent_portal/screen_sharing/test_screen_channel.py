"""Screen sharing over the real sockets of a uvicorn-served portal, with the customer's
device on the real `/ws/device` (the assistant's own channel) sending real encoded
updates (JPEG, from PIL): the picture reaches only the tabs of the staff member who asked,
only after the customer granted it and only until it ends (revoked, stopped, the chat
closed, the device gone); pulls and input reach the device only from the asker, input
only under granted control; a request nobody answers is a refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.chat import flows as chat_flows
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.database import utcnow
from agent_portal.screen_sharing import flows
from agent_portal.screen_sharing.errors import NoActiveView
from isp_common.binary_frames import BinaryFrame, decode
from isp_common.live_wire import Ping
from isp_common.screen_wire import SCREEN_UPDATE, decode_update
from tests.agent_portal.screen_sharing.support import (
    HEIGHT,
    WIDTH,
    ScreenDevice,
    blue_band_update,
    hotline_chat,
    red_square_keyframe,
)
from tests.support.live import wait_until
from tests.support.relay import on_server, tab_of

REASON = "Ich möchte sehen, was der Router anzeigt."


@pytest.fixture
def scene(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    bob = world.staff("bob.keller", name="Bob Keller")
    chat = hotline_chat(world, customer, device, anna)
    return {"key": key, "anna": anna, "bob": bob, "chat": chat, "device_id": device.id}


@pytest.fixture
def device(portal, scene):
    side = ScreenDevice(portal.url, scene["key"])
    yield side
    side.stop()


def ask(portal_app, scene, staff=None) -> str:
    consent = on_server(
        portal_app,
        flows.ask_to_see,
        conversation_id=scene["chat"],
        staff_id=(staff or scene["anna"]).id,
        reason=REASON,
    )
    return consent.id


def silent(tab) -> None:
    """Everything sent to the tab so far has arrived: the pong of a ping sent now."""
    tab.send({"type": "ping"})
    tab.next("pong", timeout=15)


def test_the_picture_reaches_the_askers_tab_only_and_stops_at_the_revoke(
    portal, portal_app, world, scene, device
):
    anna_tab = tab_of(world, portal, scene["anna"])
    bob_tab = tab_of(world, portal, scene["bob"])
    try:
        view_id = ask(portal_app, scene)
        request = device.event("consent.request", consent_id=view_id)
        assert (request.kind, request.requester_name, request.reason) == (
            "screen_view",
            "Anna Berger",
            REASON,
        )
        # 60 seconds to answer (PORTAL_SCREEN_CONSENT_SECONDS' default), not consent's 120.
        assert abs(request.answer_by - (utcnow() + timedelta(seconds=60))) < timedelta(seconds=5)

        # Before the grant there is no stream: a picture is refused at the door.
        device.send_update(4242, red_square_keyframe(), seq=1)
        assert device.event("error", code="stream_not_open", stream_id=4242)
        anna_tab.send({"type": "screen.pull", "consent_id": view_id, "keyframe": True})
        assert anna_tab.next("error", request_id=view_id)["code"] == "view_not_active"

        device.grant(view_id)
        opened = anna_tab.next("relay.opened", purpose=f"screen-view:{view_id}")
        assert opened["role"] == "receive" and opened["kinds"] == [SCREEN_UPDATE]
        stream_id = device.stream_for(view_id)
        assert stream_id == opened["stream_id"]

        bad_pull = {"type": "screen.pull", "consent_id": view_id, "refine_quality": 120}
        anna_tab.send(bad_pull)
        refused = anna_tab.next("error", code="invalid_message")
        assert "refine_quality" in refused["message"], refused
        anna_tab.send(
            {"type": "screen.pull", "consent_id": view_id, "keyframe": True, "quality": 55}
            | {"refine_quality": 90}
        )
        pull = device.event("screen.pull", consent_id=view_id)
        assert (pull.keyframe, pull.quality, pull.after_frame) == (True, 55, 0)
        assert pull.refine_quality == 90

        # A colleague can neither pull the picture nor send input; Anna no input without control.
        bob_tab.send({"type": "screen.pull", "consent_id": view_id})
        assert bob_tab.next("error", request_id=view_id)["code"] == "forbidden"
        click = [{"kind": "pointer", "action": "down", "x": 50, "y": 60}]
        bob_tab.send({"type": "screen.input", "consent_id": view_id, "events": click})
        assert bob_tab.next("error", request_id=view_id)["code"] == "forbidden"
        anna_tab.send({"type": "screen.input", "consent_id": view_id, "events": click})
        assert anna_tab.next("error", request_id=view_id)["code"] == "control_not_granted"
        silent(anna_tab)  # her refusals are all in: nothing of it reached the device
        device.send_json(Ping())
        device.event("pong")
        assert [e for e in device.events if e.type == "screen.input"] == []

        keyframe = red_square_keyframe(frame=1)
        device.send_update(stream_id, keyframe, seq=1)
        got = decode(anna_tab.next_binary(timeout=15))
        assert (got.kind, got.stream_id, got.seq) == (SCREEN_UPDATE, stream_id, 1)
        update = decode_update(got.payload)
        assert (update.frame, update.width, update.height, update.keyframe) == (
            1,
            WIDTH,
            HEIGHT,
            True,
        )
        assert got.payload == keyframe

        device.status(view_id, "unavailable", reason="wayland")
        status = anna_tab.next("screen.status", consent_id=view_id)
        assert (status["state"], status["reason"]) == ("unavailable", "wayland")

        silent(bob_tab)
        assert bob_tab.binary == []
        assert [f for f in bob_tab.frames if f["type"] in ("relay.opened", "screen.status")] == []

        # The customer stops it: the stream closes, later pictures are refused, none arrives.
        device.revoke(view_id)
        anna_tab.next("relay.closed", stream_id=stream_id)
        device.event("relay.closed", stream_id=stream_id)
        device.send_update(stream_id, blue_band_update(2), seq=2)
        assert device.event("error", code="stream_not_open", stream_id=stream_id)
        silent(anna_tab)
        assert anna_tab.binary == []
        anna_tab.send({"type": "screen.pull", "consent_id": view_id, "after_frame": 1})
        assert anna_tab.next("error", request_id=view_id)["code"] == "view_not_active"
    finally:
        anna_tab.close()
        bob_tab.close()


def test_control_only_on_a_granted_view_and_input_only_while_it_lasts(
    portal, portal_app, world, scene, device
):
    anna_tab = tab_of(world, portal, scene["anna"])
    try:
        view_id = ask(portal_app, scene)
        device.event("consent.request", consent_id=view_id)
        with pytest.raises(NoActiveView):  # the customer has not allowed the view yet
            on_server(portal_app, flows.ask_for_control, view_id=view_id, staff_id=scene["anna"].id)
        assert world.count(ConsentRequest, ConsentRequest.kind == "control") == 0

        device.grant(view_id)
        anna_tab.next("relay.opened", purpose=f"screen-view:{view_id}")
        control = on_server(
            portal_app, flows.ask_for_control, view_id=view_id, staff_id=scene["anna"].id
        )
        request = device.event("consent.request", consent_id=control.id)
        assert (request.kind, request.parent_id) == ("control", view_id)
        device.grant(control.id, choice=None)
        wait_until(
            lambda: (
                world.rows(ConsentRequest, ConsentRequest.id == control.id)[0].status == "granted"
            ),
            what="control granted",
        )

        events = [
            {"kind": "pointer", "action": "down", "x": 50, "y": 60},
            {"kind": "pointer", "action": "up", "x": 50, "y": 60},
            {"kind": "key", "action": "text", "text": "Grüße"},
            {"kind": "key", "action": "press", "key": "c", "modifiers": ["ctrl"]},
        ]
        anna_tab.send({"type": "screen.input", "consent_id": view_id, "events": events})
        got = device.event("screen.input", consent_id=view_id)
        assert [e.model_dump(exclude_defaults=True) for e in got.events] == [
            {"action": "down", "x": 50, "y": 60},
            {"action": "up", "x": 50, "y": 60},
            {"action": "text", "text": "Grüße"},
            {"action": "press", "key": "c", "modifiers": ["ctrl"]},
        ]

        # Anna ends the control: the view stays, input is refused from then on.
        on_server(portal_app, flows.stop, consent_id=control.id, staff_id=scene["anna"].id)
        closed = device.event("consent.closed", consent_id=control.id)
        assert (closed.status, closed.reason) == ("ended", "withdrawn")
        device.events.clear()
        anna_tab.send({"type": "screen.input", "consent_id": view_id, "events": events})
        assert anna_tab.next("error", request_id=view_id)["code"] == "control_not_granted"
        anna_tab.send({"type": "screen.pull", "consent_id": view_id})
        device.event("screen.pull", consent_id=view_id)  # the view goes on
        assert [e for e in device.events if e.type == "screen.input"] == []
    finally:
        anna_tab.close()


def test_closing_the_chat_ends_the_view_and_its_stream(portal, portal_app, world, scene, device):
    anna_tab = tab_of(world, portal, scene["anna"])
    try:
        view_id = ask(portal_app, scene)
        device.event("consent.request", consent_id=view_id)
        device.grant(view_id)
        stream_id = anna_tab.next("relay.opened", purpose=f"screen-view:{view_id}")["stream_id"]
        on_server(portal_app, chat_flows.close, conversation_id=scene["chat"])
        closed = device.event("consent.closed", consent_id=view_id)
        assert (closed.status, closed.reason) == ("ended", "completed")
        anna_tab.next("relay.closed", stream_id=stream_id)
        device.event("relay.closed", stream_id=stream_id)
    finally:
        anna_tab.close()


def test_a_viewer_tab_opened_after_the_grant_gets_the_picture_with_its_first_pull(
    portal, portal_app, world, scene, device
):
    view_id = ask(portal_app, scene)
    device.event("consent.request", consent_id=view_id)
    device.grant(view_id)  # no tab of Anna's is open: no stream yet
    wait_until(
        lambda: world.rows(ConsentRequest, ConsentRequest.id == view_id)[0].status == "granted",
        what="the view granted",
    )
    assert [e for e in device.events if e.type == "relay.opened"] == []
    viewer = tab_of(world, portal, scene["anna"])
    try:
        viewer.send({"type": "screen.pull", "consent_id": view_id, "keyframe": True})
        stream_id = viewer.next("relay.opened", purpose=f"screen-view:{view_id}")["stream_id"]
        assert device.stream_for(view_id) == stream_id
        device.event("screen.pull", consent_id=view_id, keyframe=True)
        device.send_update(stream_id, red_square_keyframe(), seq=1)
        assert decode(viewer.next_binary(timeout=15)).stream_id == stream_id
    finally:
        viewer.close()


def test_the_view_ends_when_the_devices_socket_goes(portal, portal_app, world, scene, device):
    anna_tab = tab_of(world, portal, scene["anna"])
    try:
        view_id = ask(portal_app, scene)
        device.event("consent.request", consent_id=view_id)
        device.grant(view_id)
        stream_id = anna_tab.next("relay.opened", purpose=f"screen-view:{view_id}")["stream_id"]
        device.stop()
        anna_tab.next("relay.closed", stream_id=stream_id)
        wait_until(
            lambda: world.rows(ConsentRequest, ConsentRequest.id == view_id)[0].status == "ended",
            what="the view ended",
        )
    finally:
        anna_tab.close()


@pytest.mark.portal_settings(screen_consent_seconds=1)
def test_no_answer_in_time_is_a_refusal_and_opens_nothing(portal, portal_app, world, scene, device):
    anna_tab = tab_of(world, portal, scene["anna"])
    try:
        view_id = ask(portal_app, scene)
        device.event("consent.request", consent_id=view_id)
        closed = device.event("consent.closed", consent_id=view_id, timeout=10)
        assert closed.status == "timed_out"
        device.grant(view_id)  # too late
        assert device.event("error", request_id=view_id).code == "consent_timed_out"
        silent(anna_tab)
        assert [f for f in anna_tab.frames if f["type"] == "relay.opened"] == []
        steps = world.rows(ConsentEvent, ConsentEvent.consent_id == view_id, order=ConsentEvent.id)
        assert [step.event for step in steps] == ["asked", "timed_out"]
    finally:
        anna_tab.close()


def test_a_picture_on_another_stream_kind_or_unknown_stream_is_refused(
    portal, portal_app, world, scene, device
):
    anna_tab = tab_of(world, portal, scene["anna"])
    try:
        view_id = ask(portal_app, scene)
        device.event("consent.request", consent_id=view_id)
        device.grant(view_id)
        stream_id = anna_tab.next("relay.opened", purpose=f"screen-view:{view_id}")["stream_id"]
        device.stream_for(view_id)
        # The view's stream carries screen updates only.
        device.call(device.channel.send_binary(BinaryFrame(1, stream_id, 1, b"raw")))
        assert device.event("error", code="kind_not_on_stream", stream_id=stream_id)
        silent(anna_tab)
        assert anna_tab.binary == []
    finally:
        anna_tab.close()
