"""Live chat with the agent in the portal (Chromium) and the customer in the assistant (the
real client): chat both ways with typing, handover to a colleague with the whole history,
a ticket answered later by mail, and presence that follows the portal tabs."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.realtime.models import LiveConnection
from agent_portal.remote_diagnostics import service as diagnostics
from tests.live.mailbox import smtp_server
from tests.live.support import quick_checks, wait_until

pytestmark = pytest.mark.browser


def message_texts(page) -> list[str]:
    return page.locator(
        "#messages li[data-seq] .text, #messages li[data-seq] .system-text"
    ).all_inner_texts()


def seqs(page) -> list[int]:
    return [
        int(s)
        for s in page.locator("#messages li[data-seq]").evaluate_all(
            "items => items.map(item => item.dataset.seq)"
        )
    ]


def test_chat_both_ways_between_the_assistant_and_the_portal(
    portal, world, assistant_for, staff_page, output_dir
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    page.get_by_test_id("my-chats").get_by_text("No open chats.").wait_for()
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))

    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("wifi", "My Wi-Fi drops every evening."))
    assert info.agent_name == "Anna Berger"
    page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann").click()
    page.wait_for_url(f"**/portal/chats/{info.id}")
    page.locator("#messages").get_by_text("My Wi-Fi drops every evening.").wait_for()
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()

    assistant.call(assistant.help.chat.typing(info.id, True))
    page.get_by_test_id("typing").wait_for(state="visible")
    page.fill("#message-text", "Please restart the router and tell me when it is back.")
    page.keyboard.press("Enter")
    wait_until(
        lambda: any(m.text.startswith("Please restart") for m in assistant.messages(info.id)),
        what="the agent's message in the assistant",
    )
    assistant.call(assistant.help.send(info.id, "Done, it is back."))
    page.locator("#messages").get_by_text("Done, it is back.").wait_for()
    assert page.get_by_test_id("typing").is_hidden()
    assert seqs(page) == [1, 2, 3, 4]
    assert message_texts(page) == [
        "My Wi-Fi drops every evening.",
        "Anna Berger took over the chat.",
        "Please restart the router and tell me when it is back.",
        "Done, it is back.",
    ]
    page.screenshot(path=output_dir / "live-chat.png", full_page=True)
    assert [(m.seq, m.sender.value) for m in assistant.messages(info.id)] == [
        (1, "customer"),
        (2, "system"),
        (3, "agent"),
        (4, "customer"),
    ]


def add_report(world, device_id: str, staff_id: int) -> None:
    """A report of the device, as an earlier allowed request left it."""
    # Its own thread: Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(asyncio.run, quick_checks(None, True)).result()
    with world.session() as db_session:
        request = diagnostics.create_request(
            db_session=db_session,
            device=db_session.get(Device, device_id),
            staff=db_session.get(StaffMember, staff_id),
            now=utcnow(),
            timeout=timedelta(minutes=2),
        )
        diagnostics.answer(
            db_session=db_session,
            request_id=request.id,
            device_id=device_id,
            allowed=True,
            now=utcnow(),
        )
        diagnostics.store_report(
            db_session=db_session,
            request_id=request.id,
            device_id=device_id,
            report=report.model_dump(mode="json"),
            now=utcnow(),
        )


def test_handover_to_a_colleague_with_the_whole_history(
    portal, world, assistant_for, staff_page, output_dir
):
    customer = world.customer()
    device, key = world.device(customer, name="Wohnzimmer-PC")
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    ben = world.staff("ben.keller", topics=[], name="Ben Keller")  # no topic: gets no chats
    add_report(world, device.id, anna.id)
    anna_page = staff_page(anna)
    ben_page = staff_page(ben)
    ben_page.goto(f"{portal.url}/portal/inbox?lang=en")
    anna_page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id.is_not(None)) == 2)

    assistant = assistant_for(key)
    info = assistant.call(assistant.help.start_chat("internet", "Internet is slow."))
    assistant.call(assistant.help.send(info.id, "Since the thunderstorm."))
    anna_page.goto(f"{portal.url}/portal/chats/{info.id}?lang=en")
    anna_page.locator("#messages").get_by_text("Since the thunderstorm.").wait_for()
    anna_page.fill("#message-text", "I have reset your line.")
    anna_page.keyboard.press("Enter")
    anna_page.locator("#messages li.agent .text").get_by_text("I have reset your line.").wait_for()

    anna_page.select_option("#transfer-target", label="Ben Keller (Online)")
    anna_page.fill("#transfer-note", "Line reset done; please check the modem's sync rate.")
    anna_page.get_by_role("button", name="Hand over").click()
    anna_page.wait_for_url(f"**/portal/chats/{info.id}")
    assert "With Ben Keller" in anna_page.get_by_test_id("conversation-agent").inner_text()

    chat_link = ben_page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann")
    chat_link.wait_for()
    ben_page.screenshot(path=output_dir / "live-inbox.png", full_page=True)
    chat_link.click()
    ben_page.wait_for_url(f"**/portal/chats/{info.id}")
    assert message_texts(ben_page) == [
        "Internet is slow.",
        "Anna Berger took over the chat.",
        "Since the thunderstorm.",
        "I have reset your line.",
        "Handed over to Ben Keller.",
    ]
    notes = ben_page.get_by_test_id("handover-notes").inner_text()
    assert "Anna Berger → Ben Keller" in notes
    assert "Line reset done; please check the modem's sync rate." in notes
    facts = ben_page.get_by_test_id("customer-facts")
    assert "Wohnzimmer-PC" in facts.get_by_test_id("customer-devices").inner_text()
    assert "Online" in facts.get_by_test_id("customer-devices").inner_text()
    assert facts.get_by_test_id("customer-reports").get_by_role("link").count() == 1
    ben_page.screenshot(path=output_dir / "live-handover.png", full_page=True)

    wait_until(
        lambda: any(
            m.event and m.event.value == "transferred" for m in assistant.messages(info.id)
        ),
        what="the handover in the assistant",
    )
    handover = [
        m for m in assistant.messages(info.id) if m.event and m.event.value == "transferred"
    ]
    assert (
        assistant.help.message_text(handover[0]) == "Your chat has been handed over to Ben Keller."
    )
    assert "Line reset" not in " ".join(m.text for m in assistant.messages(info.id))  # internal
    ben_page.fill("#message-text", "Hello, Ben here. Your modem syncs at 50 Mbit/s.")
    ben_page.keyboard.press("Enter")
    wait_until(lambda: any("Ben here" in m.text for m in assistant.messages(info.id)))


@pytest.mark.portal_settings(smtp_host="127.0.0.1")
def test_a_ticket_when_nobody_is_online_answered_in_the_portal_and_by_mail(
    portal, world, assistant_for, staff_page
):
    customer = world.customer(email="erika.mustermann@example.de", language="en")
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["email"], name="Anna Berger")
    assistant = assistant_for(key)
    with smtp_server() as (mailbox, port):
        world.settings.smtp_port = port
        info = assistant.call(assistant.help.start_chat("email", "I cannot send e-mails."))
        assert info.status.value == "ticket"

        page = staff_page(anna)  # Anna starts her shift
        page.goto(f"{portal.url}/portal/inbox?lang=en")
        tickets = page.get_by_test_id("tickets")
        assert "Ticket: waiting for an answer" in tickets.inner_text()
        tickets.get_by_role("link", name="Erika Mustermann").click()
        page.wait_for_url(f"**/portal/chats/{info.id}")
        page.fill("#message-text", "Please use port 587 for outgoing mail.")
        page.keyboard.press("Enter")
        page.get_by_test_id("conversation-status").filter(has_text="Ticket: answered").wait_for()
        wait_until(lambda: mailbox.messages, what="the e-mail")
    assert mailbox.recipients[0] == ["erika.mustermann@example.de"]
    assert mailbox.messages[0]["Subject"] == "Answer to your question about: E-mail"
    assert "Please use port 587 for outgoing mail." in mailbox.messages[0].get_content()
    wait_until(lambda: any("port 587" in m.text for m in assistant.messages(info.id)))
    assert assistant.help.chat.conversation(info.id).status.value == "answered"


def test_a_staff_member_who_closes_the_portal_goes_offline(portal, world, staff_page, http):
    anna = world.staff("anna.berger", name="Anna Berger")
    ben = world.staff("ben.keller", name="Ben Keller")
    ben_page = staff_page(ben)
    ben_page.goto(f"{portal.url}/portal/inbox?lang=en")
    anna_page = staff_page(anna)
    anna_page.goto(f"{portal.url}/portal/customers?lang=en")
    anna_row = ben_page.locator(f"[data-testid=colleagues] li[data-staff-id='{anna.id}']")
    anna_row.get_by_test_id("presence").filter(has_text="Online").wait_for()

    anna_page.context.close()  # the last tab of Anna's closes
    anna_row.get_by_test_id("presence").filter(has_text="Offline").wait_for()
    statuses = {
        entry["name"]: entry["status"]
        for entry in ben_page.request.get(f"{portal.url}/portal/presence").json()["staff"]
    }
    assert statuses == {"Anna Berger": "offline", "Ben Keller": "online"}
