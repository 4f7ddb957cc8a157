"""The viewer in a real Chromium, against the real portal and the customer's device on the
real `/ws/device`: an agent asks in the chat, the device grants and sends a keyframe (a red
square on white, a real JPEG), and the canvas shows it where it belongs; each update is
pulled after the last was drawn; a COPY and a SOLID update change the picture as the layout
says, and several copies all read the picture as it was; the device's status reads in the
agent's language; control asked and granted, a click in the scaled canvas arrives at the
device in the picture's pixels, keys too; Stop and the customer's revocation end the view
and the canvas stops changing."""

from __future__ import annotations

import time

import pytest

from agent_portal.consent.models import ConsentRequest
from isp_common.screen_wire import (
    QUALITY_MAX,
    QUALITY_MOVING_MAX,
    Encoding,
    Rect,
    ScreenUpdate,
    encode_update,
)
from tests.agent_portal.screen_sharing.support import (
    HEIGHT,
    RED_SQUARE,
    WIDTH,
    ScreenDevice,
    hotline_chat,
    red_square_keyframe,
)
from tests.support.browser import audit
from tests.support.live import wait_until

pytestmark = pytest.mark.browser
RED, WHITE, BLUE = (220, 0, 0), (255, 255, 255), (0, 0, 230)
REASON = "Ich möchte die Router-Seite sehen."


@pytest.fixture
def scene(portal, world):
    customer = world.customer()
    device, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    chat = hotline_chat(world, customer, device, anna)
    side = ScreenDevice(portal.url, key)
    yield {"customer": customer, "anna": anna, "chat": chat, "device": side}
    side.stop()


def pixel(page, x: int, y: int) -> tuple[int, int, int]:
    return tuple(
        page.evaluate(
            """([x, y]) => Array.from(document.getElementById("screen-canvas")
                .getContext("2d").getImageData(x, y, 1, 1).data.slice(0, 3))""",
            [x, y],
        )
    )


def near(colour, expected, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def view_of(world) -> str:
    (view,) = world.rows(ConsentRequest, ConsentRequest.kind == "screen_view")
    return view.id


def ask_and_grant(page, portal, scene, world) -> str:
    device = scene["device"]
    page.goto(f"{portal.url}/portal/chats/{scene['chat']}")
    page.wait_for_selector("#screen-sharing[data-loaded]")
    page.fill("#screen-reason", REASON)
    page.get_by_role("button", name="Ask to see the screen").click()
    view_id = wait_until(lambda: world.rows(ConsentRequest) and view_of(world), what="asked")
    request = device.event("consent.request", consent_id=view_id)
    assert (request.requester_name, request.reason) == ("Anna Berger", REASON)
    page.get_by_test_id("screen-view-status").filter(
        has_text="Waiting for the customer's answer"
    ).wait_for()
    device.grant(view_id)
    return view_id


def joined_stream(page, device) -> int:
    """The stream the viewer page receives on, once the device may send on it too."""
    page.wait_for_selector("#screen-canvas[data-stream]")
    stream_id = int(page.get_attribute("#screen-canvas", "data-stream"))
    device.event("relay.opened", stream_id=stream_id, role="send")
    return stream_id


def drawn(page, frame: int) -> None:
    page.wait_for_selector(f"#screen-canvas[data-frame='{frame}']")


def pulled_after(device, frame: int):
    return device.event("screen.pull", after_frame=frame)


def test_the_agent_sees_the_picture_controls_it_and_stops(portal, world, scene, staff_page):
    device = scene["device"]
    page = staff_page(scene["anna"])
    view_id = ask_and_grant(page, portal, scene, world)
    page.get_by_test_id("open-viewer").click()
    page.wait_for_url(f"**/portal/screen/{view_id}")

    stream_id = joined_stream(page, device)
    device.event("screen.pull", keyframe=True)  # the viewer asks for the whole picture
    device.send_update(stream_id, red_square_keyframe(frame=1), seq=1)
    drawn(page, 1)
    x, y, w, h = RED_SQUARE
    assert page.evaluate("document.getElementById('screen-canvas').width") == WIDTH
    assert near(pixel(page, x + w // 2, y + h // 2), RED)
    assert near(pixel(page, 5, 5), WHITE)
    assert near(pixel(page, x + w + 10, y + h // 2), WHITE)
    pull = pulled_after(device, 1)  # drawn, then the next is pulled
    assert pull.keyframe is False
    # What moves at most at the moving ceiling; what then stands still sharp.
    assert pull.quality <= QUALITY_MOVING_MAX and pull.refine_quality == QUALITY_MAX

    # Copies first, from the picture as it was: the square moves right, a blue band on top.
    moved = encode_update(
        ScreenUpdate(
            frame=2,
            captured_at_ms=int(time.time() * 1000),
            width=WIDTH,
            height=HEIGHT,
            cursor=(300, 180),
            rects=[
                Rect(Encoding.copy, 200, y, w, h, source=(x, y)),
                Rect(Encoding.solid, x, y, w, h, colour=WHITE),
                Rect(Encoding.solid, 0, 0, WIDTH, 20, colour=BLUE),
            ],
        )
    )
    device.send_update(stream_id, moved, seq=2)
    drawn(page, 2)
    assert near(pixel(page, 200 + w // 2, y + h // 2), RED)
    assert near(pixel(page, x + w // 2, y + h // 2), WHITE)
    assert near(pixel(page, 100, 10), BLUE, tolerance=5)
    pulled_after(device, 2)

    # Several copies all read the picture as it was before the update: the red square and
    # the white square beside it swap places.
    swapped = encode_update(
        ScreenUpdate(
            frame=3,
            captured_at_ms=int(time.time() * 1000),
            width=WIDTH,
            height=HEIGHT,
            rects=[
                Rect(Encoding.copy, x, y, w, h, source=(200, y)),
                Rect(Encoding.copy, 200, y, w, h, source=(x, y)),
            ],
        )
    )
    device.send_update(stream_id, swapped, seq=3)
    drawn(page, 3)
    assert near(pixel(page, x + w // 2, y + h // 2), RED)
    assert near(pixel(page, 200 + w // 2, y + h // 2), WHITE)
    assert near(pixel(page, 300, 180), WHITE)  # the cursor left the picture
    assert near(pixel(page, 100, 10), BLUE, tolerance=5)
    pulled_after(device, 3)
    page.locator("#screen-fps").filter(has_text="pictures/s").wait_for()
    page.locator("#screen-latency").filter(has_text="ms round trip").wait_for()

    device.status(view_id, "unavailable", reason="wayland")
    page.get_by_test_id("screen-status").filter(
        has_text="Sharing is not available on the customer's desktop."
    ).wait_for()
    audit(page, "viewer-unavailable-en")
    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function("document.fullscreenElement?.id === 'screen-viewer'")
    full = page.locator("#screen-canvas").bounding_box()
    assert full["height"] > page.viewport_size["height"] * 0.75  # the picture grew
    page.get_by_role("button", name="Leave full screen").click()
    page.wait_for_function("document.fullscreenElement === null")
    device.status(view_id, "sharing", width=WIDTH, height=HEIGHT, choice="screen")
    page.get_by_test_id("screen-status").filter(has_text="is sharing the screen").wait_for()
    audit(page, "viewer-sharing-en")

    # Control: asked from the viewer, granted on the device.
    page.get_by_role("button", name="Request control").click()
    control = wait_until(
        lambda: world.rows(ConsentRequest, ConsentRequest.kind == "control"), what="asked"
    )[0]
    request = device.event("consent.request", consent_id=control.id)
    assert request.parent_id == view_id
    page.get_by_test_id("screen-control-state").filter(has_text="allow remote control").wait_for()
    device.grant(control.id, choice=None)
    page.wait_for_selector("#screen-canvas[data-control='granted']")
    stream_id = joined_stream(page, device)  # the page came again: a keyframe for it
    device.send_update(stream_id, red_square_keyframe(frame=5), seq=5)
    drawn(page, 5)

    page.get_by_test_id("screen-control-state").filter(has_text="You control the screen").wait_for()
    box = page.locator("#screen-canvas").bounding_box()
    assert box["width"] > WIDTH  # the picture is scaled up to the tab
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5)
    # The pointer moves there first (moves go too), then presses.
    downs = wait_until(
        lambda: [
            e
            for event in device.events
            if event.type == "screen.input" and event.consent_id == view_id
            for e in event.events
            if e.kind == "pointer" and e.action == "down"
        ],
        what="the press",
    )
    assert downs[0].button == "left"
    assert abs(downs[0].x - WIDTH // 4) <= 1 and abs(downs[0].y - HEIGHT // 2) <= 1
    ups = wait_until(
        lambda: [
            e
            for event in device.events
            if event.type == "screen.input"
            for e in event.events
            if e.kind == "pointer" and e.action == "up"
        ],
        what="the release",
    )
    assert abs(ups[0].x - WIDTH // 4) <= 1

    page.locator("#screen-canvas").focus()
    page.keyboard.press("Control+c")
    page.evaluate(
        """document.getElementById("screen-canvas").dispatchEvent(
            new KeyboardEvent("keydown", {key: "ß", bubbles: true}))"""
    )

    def keys():
        return [
            (e.action, e.text or e.key, tuple(e.modifiers))
            for event in device.events
            if event.type == "screen.input"
            for e in event.events
            if e.kind == "key"
        ]

    wait_until(lambda: len(keys()) >= 2, what="the keys")
    assert keys()[:2] == [("press", "c", ("ctrl",)), ("text", "ß", ())]

    def pointers():
        return [
            (e.action, e.x, e.y, e.dy)
            for event in device.events
            if event.type == "screen.input"
            for e in event.events
            if e.kind == "pointer" and e.action != "move"
        ]

    # A drag (press, moves, release) and a notch of the wheel, in picture pixels.
    before = len(pointers())
    left, top = box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.up()
    page.mouse.wheel(0, 100)
    wait_until(lambda: len(pointers()) >= before + 3, what="the drag and the wheel")
    down, up, wheel = pointers()[before : before + 3]
    assert down[0] == "down" and abs(down[1] - WIDTH // 10) <= 1
    assert up[0] == "up" and abs(up[1] - WIDTH // 2) <= 1 and abs(up[2] - HEIGHT // 2) <= 1
    assert wheel[0] == "wheel" and wheel[3] == 1
    moves = [
        e
        for event in device.events
        if event.type == "screen.input"
        for e in event.events
        if e.action == "move"
    ]
    assert moves, "the pointer's moves reach the device"
    audit(page, "viewer-control-en")

    # In German, then Stop: the view and its control end; nothing more reaches the canvas.
    page.goto(f"{portal.url}/portal/screen/{view_id}?lang=de")
    stream_id = joined_stream(page, device)
    device.send_update(stream_id, red_square_keyframe(frame=6), seq=6)
    drawn(page, 6)
    page.get_by_role("button", name="Steuerung beenden").wait_for()
    device.status(view_id, "unavailable", reason="wayland")
    page.get_by_test_id("screen-status").filter(
        has_text="Auf dem Desktop der Kundin oder des Kunden ist keine Freigabe möglich."
    ).wait_for()
    audit(page, "viewer-control-de")
    page.get_by_role("button", name="Beenden", exact=True).click()
    page.wait_for_url(f"**/portal/chats/{scene['chat']}**")
    closed = device.event("consent.closed", consent_id=view_id)
    assert (closed.status, closed.reason) == ("ended", "withdrawn")
    assert device.event("consent.closed", consent_id=control.id).reason == "parent_closed"
    page.get_by_test_id("screen-view-status").filter(has_text="Vom Agenten beendet").or_(
        page.get_by_test_id("screen-view-status").filter(has_text="beendet")
    ).first.wait_for()
    audit(page, "conversation-after-stop-de")

    # The record on the customer page: who asked, what, and how it ended.
    page.goto(f"{portal.url}/portal/customers/{scene['customer'].account_number}?lang=en")
    record = page.get_by_test_id("consent-record")
    rows = record.locator("tr[data-kind]")
    assert rows.count() == 2
    text = record.inner_text()
    assert "Screen view" in text and "Remote control" in text and "Anna Berger" in text
    assert "Ended by the agent" in text and "Ended with the screen view" in text


def test_the_customers_revoke_ends_the_view_and_the_canvas_stays(portal, world, scene, staff_page):
    device = scene["device"]
    page = staff_page(scene["anna"])
    page.goto(f"{portal.url}/portal/chats/{scene['chat']}?lang=de")
    page.wait_for_selector("#screen-sharing[data-loaded]")
    audit(page, "conversation-with-screen-card-de")
    page.fill("#screen-reason", REASON)
    page.get_by_role("button", name="Um Bildschirmansicht bitten").click()
    view_id = wait_until(lambda: world.rows(ConsentRequest) and view_of(world), what="asked")
    device.event("consent.request", consent_id=view_id)
    device.grant(view_id)
    page.get_by_test_id("open-viewer").click()
    stream_id = joined_stream(page, device)
    device.send_update(stream_id, red_square_keyframe(frame=1), seq=1)
    drawn(page, 1)
    pulled_after(device, 1)

    device.revoke(view_id)
    page.get_by_test_id("screen-status").filter(
        has_text="Die Bildschirmansicht ist beendet."
    ).wait_for()
    page.wait_for_selector("html[data-screen-view='revoked']")
    assert page.locator("#view-stop-form").is_hidden()
    band = encode_update(
        ScreenUpdate(
            frame=2,
            captured_at_ms=int(time.time() * 1000),
            width=WIDTH,
            height=HEIGHT,
            rects=[Rect(Encoding.solid, 0, 0, WIDTH, HEIGHT, colour=BLUE)],
        )
    )
    device.send_update(stream_id, band, seq=2)
    device.event("error", code="stream_not_open", stream_id=stream_id)
    page.wait_for_timeout(500)
    assert page.get_attribute("#screen-canvas", "data-frame") == "1"
    x, y, w, h = RED_SQUARE
    assert near(pixel(page, x + w // 2, y + h // 2), RED)
    audit(page, "viewer-revoked-de")
