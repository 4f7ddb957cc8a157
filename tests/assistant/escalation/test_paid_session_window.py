"""A paid session's proposal in the real desktop window (pywebview on Qt, under Xvfb),
signed in against the real portal: the proposal waits for the customer's answer, so live
help comes into view by itself with the terms and the maximum to confirm; read from the
window's own page and photographed, in English and in German."""

from __future__ import annotations

import pytest

from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from tests.agent_portal.expert_desk.support import approved_expert
from tests.assistant.app.test_window import screen  # noqa: F401 (a fixture)
from tests.assistant.conftest import Launcher
from tests.support.live import wait_until
from tests.support.live_customer import give_password, sign_in

pytestmark = pytest.mark.desktop

EXPECTED = {
    "en": ("You asked Eva Experte for a paid session", "Confirm and start"),
    "de": ("Sie haben Eva Experte um eine bezahlte Sitzung gebeten", "Bestätigen und starten"),
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_proposal_brings_live_help_into_view_in_the_desktop_window(
    language,
    screen,  # noqa: F811 (the fixture imported above)
    portal,
    world,
    settings,
    internet,
    tmp_path,
    staff_client,
    output_dir,
):
    customer = world.customer()
    give_password(world, customer)
    eva = approved_expert(world, "eva.expert", "Eva Experte")
    staff_client(eva).next("presence", kind="staff", id=eva.id)
    build = assistant_build_config(
        keys=ServerKeys.in_data_dir(settings.data_dir), servers=[portal.url]
    )
    launcher = Launcher(internet, tmp_path / "computers")
    try:
        assistant = launcher(
            "--lang", language, "--server", portal.url, build=build, DISPLAY=screen.display
        )
        sign_in(assistant, customer.account_number, "Küchen-PC")
        with assistant.client() as client:
            assert client.get("/api/state").json()["mode"] == "window"

            def window_text(element: str) -> str | None:
                response = client.get(f"/api/window/text/{element}")
                return response.json()["text"] if response.status_code == 200 else None

            wait_until(
                lambda: client.get("/api/live").json()["state"] == "connected",
                timeout=60,
                what="live help connected",
            )
            started = client.post(f"/api/experts/{eva.expert_id}/prechat", json={"text": "Hi"})
            assert started.status_code == 201, started.text
            conversation_id = started.json()["id"]
            asked = client.post(
                f"/api/live/conversations/{conversation_id}/sessions", json={"terms": "per_minute"}
            )
            assert asked.status_code == 200, asked.text
            title, confirm = EXPECTED[language]
            assert wait_until(lambda: window_text("session-title") == title, timeout=30)
            assert window_text("session-confirm") == confirm
            # Live help came into view by itself: its heading is what the window shows.
            assert wait_until(lambda: window_text("help-title"), timeout=10)
            colours = screen.screenshot(output_dir / f"paid-session-window-{language}.png")
            assert len(colours) > 40, "the screen looks blank"
            assert client.post("/api/quit").status_code == 202
        assert assistant.wait_for_exit(30) == 0
    finally:
        launcher.stop_all()
