"""The times of a chat's messages on the agent's page: a message that arrives while the page
is open shows the same time as the page shows for it after a reload (the portal's time
zone), even when the agent's computer is set to another zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from agent_portal.realtime.models import LiveConnection
from tests.support.live import wait_until

pytestmark = pytest.mark.browser

PORTAL_ZONE = "Asia/Tokyo"
BROWSER_ZONE = "America/Los_Angeles"  # 16 or 17 hours behind: another clock time


def shown_time(page, text: str) -> tuple[str, datetime]:
    """The time the page shows beside the message with this text, and the moment it stands for.
    Spaces folded: Chromium writes "11:44 AM" with a plain space where the portal's CLDR data
    has a narrow one."""
    time = page.locator("#messages li[data-seq]", has_text=text).locator("time")
    shown = " ".join(time.inner_text().replace("\u202f", " ").split())
    return shown, datetime.fromisoformat(time.get_attribute("datetime"))


@pytest.mark.portal_settings(time_zone=PORTAL_ZONE)
def test_a_message_that_arrives_live_shows_the_time_the_page_shows_after_a_reload(
    portal, world, assistant_for, staff_page
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    page = staff_page(anna)
    # The agent's computer in another zone (as Playwright's `timezone_id` does it, for this
    # tab alone); the override lasts as long as the session that set it.
    zone_override = page.context.new_cdp_session(page)
    zone_override.send("Emulation.setTimezoneOverride", {"timezoneId": BROWSER_ZONE})
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))

    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "My Wi-Fi drops every evening."))
    page.goto(f"{portal.url}/portal/chats/{info.id}?lang=en")
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == BROWSER_ZONE
    assistant.call(assistant.help.send(info.id, "It dropped again just now."))
    page.locator("#messages").get_by_text("It dropped again just now.").wait_for()
    live_text, moment = shown_time(page, "It dropped again just now.")

    page.reload()
    page.locator("#messages").get_by_text("It dropped again just now.").wait_for()
    rendered_text, _moment = shown_time(page, "It dropped again just now.")

    assert live_text == rendered_text
    portal_clock = moment.astimezone(ZoneInfo(PORTAL_ZONE))
    assert f"{portal_clock.hour % 12 or 12}:{portal_clock:%M}" in rendered_text
