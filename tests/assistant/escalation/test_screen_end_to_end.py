"""Screen sharing from end to end, every piece real: the agent in Chromium asks in the chat
through the portal's form; the real assistant (headless, signed in) on a virtual screen
(Xvfb) asks its customer, whose click on "Share my whole screen" starts the real capture;
the portal relays the pictures to the viewer, whose canvas shows what the test drew on the
screen, with the window on the privacy list black. Under control, the agent's click in the
viewer reaches the window on the screen and German text typed in the viewer arrives in its
entry field. When the customer stops, the viewer says the view has ended and the picture
stops changing."""

from __future__ import annotations

import pytest

from agent_portal.consent.models import ConsentRequest
from tests.agent_portal.screen_sharing.support import brightest, hotline_chat, pixel
from tests.support.browser import audit
from tests.support.live import wait_until
from tests.support.live_customer import linked_device

pytestmark = pytest.mark.browser

SCREEN_WIDTH, SCREEN_HEIGHT = 1920, 1080  # the virtual screen (tests/assistant/screen)
NOTES = (100, 100, 500, 300)  # x, y, width, height of a green window
BLOCK = (150, 150, 120, 80)  # a magenta block in it, on the screen
BANKING = (800, 100, 400, 300)  # a white window whose title is on the privacy list
FORM = (100, 550, 600, 300)  # a window with an entry field
GREEN, MAGENTA = (0x20, 0xA0, 0x40), (0xC0, 0x20, 0xC0)
REASON = "Ich möchte die Router-Seite sehen."
GREETING = "Grüße"
# The keys of a German keyboard as Chromium reports them (code, Windows key code):
# Playwright's keyboard knows only the US layout and would insert "ü" without a keydown.
GERMAN_KEYS = {
    "G": ("KeyG", 71, True),
    "r": ("KeyR", 82, False),
    "ü": ("BracketLeft", 186, False),
    "ß": ("Minus", 219, False),
    "e": ("KeyE", 69, False),
}


def dark_pixels(page, area: tuple[int, int, int, int]) -> int:
    """How many pixels of the canvas within the area are dark (text, on white)."""
    return page.evaluate(
        """([x, y, w, h]) => {
            const data = document.getElementById("screen-canvas").getContext("2d")
                .getImageData(x, y, w, h).data;
            let dark = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (Math.max(data[i], data[i + 1], data[i + 2]) < 100) { dark += 1; }
            }
            return dark;
        }""",
        list(area),
    )


def on_the_screen(display: str, area: tuple[int, int, int, int]) -> tuple[int, int]:
    """The darkest and the brightest channel within the area on the real screen."""
    import mss
    import numpy

    x, y, w, h = area
    grabber = getattr(mss, "MSS", None) or mss.mss
    with grabber(display=display) as screen:
        shot = screen.grab({"left": x, "top": y, "width": w, "height": h})
    pixels = numpy.asarray(shot)[:, :, :3]
    return int(pixels.min()), int(pixels.max())


def near(colour, expected, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def centre(area: tuple[int, int, int, int]) -> tuple[int, int]:
    x, y, w, h = area
    return x + w // 2, y + h // 2


def inside(area: tuple[int, int, int, int], margin: int = 10) -> tuple[int, int, int, int]:
    x, y, w, h = area
    return x + margin, y + margin, w - 2 * margin, h - 2 * margin


def shows(page, point: tuple[int, int], colour) -> bool:
    """Whether the canvas has a picture with that colour there (False while the page
    loads anew, as it does when control is asked)."""
    from playwright.sync_api import Error

    try:
        drawn = page.locator("#screen-canvas[data-frame]").count() == 1
        return drawn and near(pixel(page, *point), colour)
    except Error:
        return False


def type_on_german_keyboard(page, text: str) -> None:
    """Each character as a German keyboard's key press reaches the page (keydown with the
    key's character, then keyup), through Chromium's own input."""
    cdp = page.context.new_cdp_session(page)
    try:
        for character in text:
            code, key_code, shift = GERMAN_KEYS[character]
            common = {
                "key": character,
                "code": code,
                "windowsVirtualKeyCode": key_code,
                "modifiers": 8 if shift else 0,
            }
            cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": character, **common})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **common})
    finally:
        cdp.detach()


def consent_of(world, kind: str) -> ConsentRequest | None:
    rows = world.rows(ConsentRequest, ConsentRequest.kind == kind)
    return rows[0] if rows else None


def test_the_agent_sees_the_real_screen_controls_it_and_the_customer_stops(
    portal, world, customer_assistant, customer_page, staff_page, x_display, desktop
):
    import tkinter

    # A grey desktop behind the windows (the bare screen is black, as a mask would be).
    desktop.window("Desktop", 0, 0, SCREEN_WIDTH, SCREEN_HEIGHT, colour="#808080")
    notes = desktop.window("Router notes", *NOTES, colour="#20a040")
    block = tkinter.Frame(notes, background="#c020c0", width=BLOCK[2], height=BLOCK[3])
    block.place(x=BLOCK[0] - NOTES[0], y=BLOCK[1] - NOTES[1])
    desktop.window("Online-Banking – Sparkasse", *BANKING, colour="#ffffff")
    form = desktop.window("Form", *FORM, colour="#ffffff")
    entry = tkinter.Entry(form, font=("TkDefaultFont", 16))
    entry.pack(padx=40, pady=40, fill="x")
    clicks: list[tuple[int, int]] = []
    entry.bind("<Button-1>", lambda event: clicks.append((event.x_root, event.y_root)), add="+")
    desktop.settle()
    target = (entry.winfo_rootx() + 30, entry.winfo_rooty() + entry.winfo_height() // 2)
    text_area = (entry.winfo_rootx() + 4, entry.winfo_rooty() + 4, 120, entry.winfo_height() - 8)
    assert on_the_screen(x_display, inside(BANKING))[0] > 200, "white on the screen itself"

    customer = world.customer()
    anna = world.staff("anna.berger", name="Anna Berger")
    erika = customer_page(customer_assistant(customer, DISPLAY=x_display))
    chat = hotline_chat(world, customer, linked_device(world, customer), anna)

    # 1. The agent asks in the chat; the customer shares the whole screen.
    viewer = staff_page(anna)
    viewer.goto(f"{portal.url}/portal/chats/{chat}")
    viewer.wait_for_selector("#screen-sharing[data-loaded]")
    viewer.fill("#screen-reason", REASON)
    viewer.get_by_role("button", name="Ask to see the screen").click()
    dialog = erika.page.get_by_role("dialog", name="Your provider asks to see your screen")
    dialog.wait_for()
    assert f"Why: {REASON}" in dialog.inner_text()
    dialog.get_by_role("button", name="Share my whole screen").click()
    erika.page.get_by_role("region", name="Your screen is shared").wait_for()
    view = wait_until(lambda: consent_of(world, "screen_view"), what="the view is asked")
    viewer.get_by_test_id("open-viewer").click()
    viewer.wait_for_url(f"**/portal/screen/{view.id}")

    # The canvas shows the screen in its own pixels: the green window and its magenta block.
    wait_until(lambda: shows(viewer, centre(BLOCK), MAGENTA), timeout=30, what="the picture")
    assert viewer.evaluate("document.getElementById('screen-canvas').width") == SCREEN_WIDTH
    assert viewer.evaluate("document.getElementById('screen-canvas').height") == SCREEN_HEIGHT
    assert near(pixel(viewer, NOTES[0] + 20, NOTES[1] + NOTES[3] - 20), GREEN)
    assert near(pixel(viewer, BLOCK[0] - 15, centre(BLOCK)[1]), GREEN)  # left of the block
    assert near(pixel(viewer, *centre(FORM)), (255, 255, 255))

    # 2. The banking window is black over its whole rectangle, on the grey desktop.
    assert brightest(viewer, inside(BANKING)) < 40, "a window on the privacy list is black"
    assert near(pixel(viewer, BANKING[0] - 20, centre(BANKING)[1]), (128, 128, 128))
    assert near(pixel(viewer, centre(BANKING)[0], BANKING[1] + BANKING[3] + 20), (128, 128, 128))
    viewer.get_by_test_id("screen-status").filter(has_text="is sharing the screen").wait_for()
    audit(viewer, "viewer-real-screen-en")

    # 3. Control: asked in the viewer, allowed by the customer.
    viewer.get_by_role("button", name="Request control").click()
    dialog = erika.page.get_by_role("dialog", name="Your provider asks to control your computer")
    dialog.get_by_role("button", name="Allow control").click()
    viewer.wait_for_selector("#screen-canvas[data-control='granted']", timeout=30_000)
    wait_until(lambda: shows(viewer, centre(BLOCK), MAGENTA), timeout=30, what="the picture")
    control_state = viewer.get_by_test_id("screen-control-state")
    control_state.filter(has_text="You control the screen").wait_for()
    empty = dark_pixels(viewer, text_area)  # the insertion cursor at most

    box = viewer.locator("#screen-canvas").bounding_box()
    scale = box["width"] / SCREEN_WIDTH
    viewer.mouse.click(box["x"] + (target[0] + 0.5) * scale, box["y"] + (target[1] + 0.5) * scale)
    assert desktop.until(lambda: clicks, timeout=15), "the click did not reach the screen"
    (x, y) = clicks[0]
    assert abs(x - target[0]) <= 3 and abs(y - target[1]) <= 3, (clicks, target)

    viewer.locator("#screen-canvas").focus()
    type_on_german_keyboard(viewer, GREETING)
    desktop.until(lambda: entry.get() == GREETING, timeout=15)
    assert entry.get() == GREETING
    # And the agent sees the text arrive in the picture.
    wait_until(
        lambda: desktop.pump(0.05) or dark_pixels(viewer, text_area) > empty + 40,
        timeout=30,
        what="the text in the picture",
    )
    audit(viewer, "viewer-controlled-en")

    # 4. The customer stops sharing on the assistant's page.
    erika.page.get_by_role("region", name="Your screen is shared").get_by_role(
        "button", name="Stop sharing"
    ).click()
    viewer.get_by_test_id("screen-status").filter(has_text="The screen view has ended.").wait_for(
        timeout=30_000
    )
    viewer.wait_for_selector("html[data-screen-view='revoked']")
    assert viewer.locator("#view-stop-form").is_hidden()
    # The screen changes; the picture does not any more.
    last_frame = viewer.get_attribute("#screen-canvas", "data-frame")
    notes.configure(background="#3030c0")
    desktop.pump(1.0)
    assert on_the_screen(x_display, (NOTES[0] + 10, NOTES[1] + NOTES[3] - 30, 20, 20)) == (
        0x30,
        0xC0,
    )
    assert viewer.get_attribute("#screen-canvas", "data-frame") == last_frame
    assert near(pixel(viewer, NOTES[0] + 20, NOTES[1] + NOTES[3] - 20), GREEN)
    audit(viewer, "viewer-stopped-en")

    viewer.goto(f"{portal.url}/portal/screen/{view.id}?lang=de")
    viewer.get_by_test_id("screen-status").filter(
        has_text="Die Bildschirmansicht ist beendet."
    ).wait_for()
    audit(viewer, "viewer-stopped-de")
