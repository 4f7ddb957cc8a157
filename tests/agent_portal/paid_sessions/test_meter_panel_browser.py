"""The expert's meter panel in a real browser: the expert proposes a session on the chat
page of their pre-chat, the customer's device confirms a maximum over the real socket, the
panel shows the running meter live (the installation's job ticks it) with money in the
tab's language, the expert pauses and ends with a waiver, and the summary shows their
share. English and German, with a screenshot of each step."""

from __future__ import annotations

import pytest

from agent_portal.paid_sessions.models import PaidSession
from isp_common import paid_sessions_wire as wire
from isp_common.formatting import money
from tests.agent_portal.paid_sessions.support import make_parties
from tests.agent_portal.paid_sessions.test_session_live import Device
from tests.support.browser import audit
from tests.support.live import wait_until

pytestmark = pytest.mark.browser


@pytest.mark.portal_settings(session_tick_seconds=0.5)
def test_the_expert_runs_a_session_from_the_meter_panel(portal, world, staff_page):
    parties = make_parties(world, connected=False)
    _device, key = world.device(parties.customer, name="Laptop")
    device = Device(portal, key)
    desk = staff_page(parties.expert)
    try:
        desk.goto(f"{portal.url}/portal/chats/{parties.conversation_id}?lang=en")
        panel = desk.get_by_test_id("paid-session")
        propose = panel.get_by_test_id("paid-session-propose")
        propose.get_by_label(f"{money(150, 'CHF', locale='en')} per minute").wait_for()
        desk.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
        audit(desk, "paid-session-propose-en")
        propose.get_by_role("button", name="Propose").click()
        desk.get_by_test_id("paid-session-status").filter(has_text="Proposed").wait_for()
        [session] = world.rows(PaidSession)

        # The customer confirms on their device; the panel follows live.
        offered = device.next("session.proposal")
        assert offered["proposed_by"] == "expert"
        device.send(wire.SessionConfirm(command_id="c1", session_id=session.id, maximum=600))
        device.next("session.ack")
        desk.get_by_test_id("paid-session-status").filter(has_text="Running.").wait_for()
        desk.get_by_test_id("paid-session-time").filter(has_text="second").wait_for()
        assert money(600, "CHF", locale="en") in panel.inner_text()
        audit(desk, "paid-session-running-en")

        desk.goto(f"{portal.url}/portal/chats/{parties.conversation_id}?lang=de")
        german = desk.get_by_test_id("paid-session")
        german.get_by_test_id("paid-session-status").filter(has_text="Läuft.").wait_for()
        assert money(600, "CHF", locale="de") in german.inner_text()
        german.get_by_test_id("paid-session-pause-button").click()
        desk.get_by_test_id("paid-session-pause").filter(has_text="Sie haben pausiert.").wait_for()
        audit(desk, "paid-session-paused-de")

        wait_until(lambda: world.rows(PaidSession)[0].status == "paused")
        amount = world.rows(PaidSession)[0].amount
        desk.get_by_label("Erlassen (in CHF, freiwillig)").fill("0")
        desk.get_by_role("button", name="Sitzung beenden").click()
        summary = desk.get_by_test_id("paid-session-summary")
        summary.wait_for()
        assert money(amount, "CHF", locale="de") in summary.inner_text()
        assert "Ihr Anteil" in summary.inner_text()
        audit(desk, "paid-session-summary-de")
        assert device.next("session.summary")["charged"] == amount
    finally:
        device.close()
