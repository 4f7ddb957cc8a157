"""The real desktop assistant (pywebview, Qt, on a virtual screen), signed in to the real
portal: a hotline agent's request in a chat to see the screen opens the consent dialog in
the window; once the customer shares, the indicator (a second, always-on-top window) says
who watches; the agent's viewer (Chromium) shows the assistant's window and, where the
indicator is on the screen, black; and the system-wide shortcut Ctrl+Shift+X ends the view
and hides it again."""

from __future__ import annotations

import pytest

from agent_portal.consent.models import ConsentRequest
from agent_portal.entitlements.service import assistant_build_config
from agent_portal.screen_sharing.flows import ask_to_see
from agent_portal.server_keys import ServerKeys
from assistant.screen._x11 import X11Platform
from tests.agent_portal.screen_sharing.support import brightest, hotline_chat
from tests.assistant.conftest import Launcher
from tests.assistant.support import wait_until
from tests.support.browser import audit
from tests.support.live_customer import give_password, linked_device, sign_in
from tests.support.relay import on_server
from tests.support.system import require_program
from tests.support.virtual_screen import VirtualScreen

pytestmark = pytest.mark.desktop


@pytest.fixture
def screen():
    virtual = VirtualScreen(require_program("Xvfb", "xvfb"))
    yield virtual
    virtual.stop()


@pytest.fixture
def desktop_assistant(portal, world, settings, internet, tmp_path, screen):
    launcher = Launcher(internet, tmp_path / "computer")

    def start(customer):
        give_password(world, customer)
        build = assistant_build_config(
            keys=ServerKeys.in_data_dir(settings.data_dir), servers=[portal.url]
        )
        process = launcher(
            "--lang", "en", "--server", portal.url, build=build, DISPLAY=screen.display
        )
        sign_in(process, customer.account_number, "Wohnzimmer-PC")
        return process

    yield start
    launcher.stop_all()


def press_keys(display_name: str, keys: list[str]) -> None:
    """Holds the keys down in order and lets go in reverse, through XTEST."""
    from Xlib import XK, X
    from Xlib.display import Display
    from Xlib.ext import xtest

    display = Display(display_name)
    try:
        codes = [display.keysym_to_keycode(XK.string_to_keysym(key)) for key in keys]
        for code in codes:
            xtest.fake_input(display, X.KeyPress, code)
            display.sync()
        for code in reversed(codes):
            xtest.fake_input(display, X.KeyRelease, code)
            display.sync()
    finally:
        display.close()


def test_the_window_asks_and_the_indicator_stays_on_top_while_sharing(
    portal, portal_app, world, desktop_assistant, screen, output_dir, staff_page
):
    customer = world.customer()
    erik = world.staff("erik.expert", name="Erik Expert")
    assistant = desktop_assistant(customer)
    x11 = X11Platform(screen.display)

    with assistant.client() as client:

        def text(element: str, window: str = "window") -> str | None:
            response = client.get(f"/api/{window}/text/{element}")
            return response.json()["text"] if response.status_code == 200 else None

        wait_until(lambda: client.get("/api/live").json()["state"] == "connected", timeout=60)
        titles = [w.title for w in x11.list_windows()]
        assert "Screen sharing" not in titles  # made hidden: nothing to announce yet

        chat = hotline_chat(world, customer, linked_device(world, customer), erik)
        consent = on_server(
            portal_app,
            ask_to_see,
            conversation_id=chat,
            staff_id=erik.id,
            reason="Your e-mail shows an error",
        )
        # The dialog in the real window, on the tab the customer was on (the overview).
        assert wait_until(
            lambda: text("consent-title") == "Your provider asks to see your screen", timeout=30
        )
        assert text("consent-allow") == "Share my whole screen"
        assert text("consent-allow-window") == "Share one window"
        screen.screenshot(output_dir / "assistant-window-screen-consent.png")

        question = client.get("/api/live").json()["consent"]["id"]
        answered = client.post(
            f"/api/live/consent/{question}", json={"allowed": True, "choice": "screen"}
        )
        assert answered.status_code == 200, answered.text
        wait_until(
            lambda: (
                world.rows(ConsentRequest, ConsentRequest.id == consent.id)[0].status == "granted"
            )
        )

        # The indicator: its own window, shown, on top, naming who watches.
        assert wait_until(lambda: client.get("/api/indicator").json()["visible"])

        def indicator_window():
            return next((w for w in x11.list_windows() if w.title == "Screen sharing"), None)

        # Top right of the screen.
        indicator = wait_until(
            lambda: (found := indicator_window()) and found.x > 1280 // 2 and found, timeout=20
        )
        assert wait_until(
            lambda: text("share-now-lines", "indicator") == "Erik Expert sees your screen.",
            timeout=20,
        )
        assert text("share-stop", "indicator") == "Stop sharing"
        # Its own window is not among those the customer may hide: it is never shown.
        listed = client.get("/api/live").json()["sharing"]["windows"]
        assert "Screen sharing" not in [window["title"] for window in listed]
        assert "Internet Assistant" in [window["title"] for window in listed]
        # X11 cannot leave it out of a capture: its rectangle is blacked out instead.
        state = client.get("/api/indicator").json()
        assert state["excluded"] is False
        ((x, y, width, height),) = state["masked"]
        assert width >= indicator.width and height >= indicator.height
        assert x <= indicator.x and y <= indicator.y
        # Drawn: its red "Stop sharing" button is on the screen.
        shot = output_dir / "assistant-window-screen-indicator.png"
        assert wait_until(lambda: (0xB3, 0x26, 0x1E) in screen.screenshot(shot), timeout=20)

        # The agent's picture: the assistant's window is there, the indicator is not.
        viewer = staff_page(erik)
        viewer.goto(f"{portal.url}/portal/screen/{consent.id}")
        viewer.wait_for_selector("#screen-canvas[data-frame]", timeout=30_000)
        main = next(w for w in x11.list_windows() if w.title == "Internet Assistant")
        top = max(main.y, 0)
        left_of_indicator = (main.x, top, indicator.x - main.x, main.y + main.height - top)
        assert wait_until(lambda: brightest(viewer, left_of_indicator) > 200, timeout=30), (
            "the assistant's window is in the picture"
        )
        inside = (indicator.x + 2, indicator.y + 2, indicator.width - 4, indicator.height - 4)
        assert brightest(viewer, inside) < 40, "the indicator is black in the picture"
        audit(viewer, "viewer-without-indicator-en")

        # Ctrl+Shift+X anywhere on the desktop (pynput's global hotkey), here typed into
        # the virtual screen's keyboard while the focus is nowhere in particular.
        press_keys(screen.display, ["Control_L", "Shift_L", "x"])
        wait_until(
            lambda: (
                world.rows(ConsentRequest, ConsentRequest.id == consent.id)[0].status == "revoked"
            )
        )
        assert wait_until(lambda: not client.get("/api/indicator").json()["visible"])
        assert wait_until(
            lambda: "Screen sharing" not in [w.title for w in x11.list_windows()], timeout=20
        )

        assert client.post("/api/quit").status_code == 202
    assert assistant.wait_for_exit(30) == 0
