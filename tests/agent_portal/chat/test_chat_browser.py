"""Live chat between two browsers: the agent in the portal, the customer on the page of the
real assistant (headless, signed in). Chat both ways with typing, handover to a colleague
with the whole history, a ticket answered later by mail, and presence that follows the
portal tabs."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from agent_portal.consent import service as consent
from agent_portal.customers.models import Device
from agent_portal.database import utcnow
from agent_portal.realtime.models import LiveConnection
from agent_portal.remote_diagnostics import service as diagnostics
from tests.agent_portal.remote_diagnostics.test_diagnostics_browser import request_diagnostics
from tests.support.live import quick_checks, wait_until
from tests.support.live_customer import linked_device
from tests.support.mailbox import smtp_server

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
    portal, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    page.get_by_test_id("my-chats").get_by_text("No open chats.").wait_for()
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))

    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Wi-Fi", "My Wi-Fi drops every evening.")
    erika.page.locator("#help-status").filter(
        has_text="You are chatting with Anna Berger."
    ).wait_for()
    page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann").click()
    page.wait_for_url("**/portal/chats/*")
    page.locator("#messages").get_by_text("My Wi-Fi drops every evening.").wait_for()
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()

    erika.page.type("#help-text", "Let me", delay=20)  # typing shows on Anna's side
    page.get_by_test_id("typing").wait_for(state="visible")
    page.fill("#message-text", "Please restart the router and tell me when it is back.")
    page.keyboard.press("Enter")
    erika.wait_for("Please restart the router")
    assert "Anna Berger" in erika.page.locator("#help-messages li.agent .who").first.inner_text()
    erika.page.fill("#help-text", "")
    erika.write("Done, it is back.")
    page.locator("#messages").get_by_text("Done, it is back.").wait_for()
    erika.page.locator("#help-messages li.pending").wait_for(state="detached")
    assert seqs(page) == [1, 2, 3, 4]
    assert message_texts(page) == [
        "My Wi-Fi drops every evening.",
        "Anna Berger took over the chat.",
        "Please restart the router and tell me when it is back.",
        "Done, it is back.",
    ]
    page.screenshot(path=output_dir / "live-chat.png", full_page=True)
    assert erika.seqs() == [1, 2, 3, 4]
    assert erika.texts() == [
        "My Wi-Fi drops every evening.",
        "Anna Berger is now looking after you.",
        "Please restart the router and tell me when it is back.",
        "Done, it is back.",
    ]
    erika.page.screenshot(path=output_dir / "assistant-live-chat.png", full_page=True)

    # On another tab, a new answer shows as a dot on "Live help" until it is opened.
    assert erika.page.locator("#help-dot").is_hidden()
    erika.page.click(".tab[data-view='dashboard']")
    page.fill("#message-text", "Anything else I can do for you?")
    page.keyboard.press("Enter")
    erika.page.locator("#help-dot").wait_for(state="visible")
    erika.page.click(".tab[data-view='help']")
    erika.wait_for("Anything else I can do for you?")
    assert erika.page.locator("#help-dot").is_hidden()


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
        consent.answer(
            db_session=db_session,
            consent_id=request.id,
            device_id=device_id,
            granted=True,
            now=utcnow(),
        )
        diagnostics.store_report(
            db_session=db_session,
            request_id=request.id,
            device_id=device_id,
            report=report.model_dump(mode="json"),
            now=utcnow(),
        )
        db_session.commit()


def test_handover_to_a_colleague_with_the_whole_history(
    portal, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    ben = world.staff("ben.keller", topics=[], name="Ben Keller")  # no topic: gets no chats
    erika = customer_page(customer_assistant(customer, device_name="Wohnzimmer-PC"))
    add_report(world, linked_device(world, customer).id, anna.id)
    anna_page = staff_page(anna)
    ben_page = staff_page(ben)
    ben_page.goto(f"{portal.url}/portal/inbox?lang=en")
    anna_page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id.is_not(None)) == 2)

    erika.start_chat("Internet connection", "Internet is slow.")
    erika.write("Since the thunderstorm.")
    (conversation,) = world.rows(Conversation)
    anna_page.goto(f"{portal.url}/portal/chats/{conversation.id}?lang=en")
    anna_page.locator("#messages").get_by_text("Since the thunderstorm.").wait_for()
    anna_page.fill("#message-text", "I have reset your line.")
    anna_page.keyboard.press("Enter")
    anna_page.locator("#messages li.agent .text").get_by_text("I have reset your line.").wait_for()

    anna_page.select_option("#transfer-target", label="Ben Keller (Online)")
    anna_page.fill("#transfer-note", "Line reset done; please check the modem's sync rate.")
    anna_page.get_by_role("button", name="Hand over").click()
    # The chat is Ben's now: Anna is back in her inbox, where it is no longer hers.
    anna_page.wait_for_url("**/portal/inbox?done=handed_over")
    anna_page.get_by_role("status").filter(has_text="it is no longer yours").wait_for()
    anna_chats = anna_page.get_by_test_id("my-chats")
    assert anna_chats.get_by_role("link", name="Erika Mustermann").count() == 0

    chat_link = ben_page.get_by_test_id("my-chats").get_by_role("link", name="Erika Mustermann")
    chat_link.wait_for()
    ben_page.screenshot(path=output_dir / "live-inbox.png", full_page=True)
    chat_link.click()
    ben_page.wait_for_url(f"**/portal/chats/{conversation.id}")
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

    # The customer sees the handover in words, and nothing of the internal note.
    erika.wait_for("Your chat has been handed over to Ben Keller.")
    erika.page.locator("#help-status").filter(
        has_text="You are chatting with Ben Keller."
    ).wait_for()
    assert "Line reset" not in erika.page.inner_text("#help-messages")
    ben_page.fill("#message-text", "Hello, Ben here. Your modem syncs at 50 Mbit/s.")
    ben_page.keyboard.press("Enter")
    erika.wait_for("Hello, Ben here.")
    assert erika.page.locator("#help-messages li.agent .who").last.inner_text() == "Ben Keller"
    erika.page.screenshot(path=output_dir / "assistant-live-handover.png", full_page=True)


@pytest.mark.portal_settings(smtp_host="127.0.0.1")
def test_a_ticket_when_nobody_is_online_answered_in_the_portal_and_by_mail(
    portal, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer(email="erika.mustermann@example.de", language="en")
    anna = world.staff("anna.berger", topics=["email"], name="Anna Berger")
    erika = customer_page(customer_assistant(customer))
    with smtp_server() as (mailbox, port):
        world.settings.smtp_port = port
        erika.start_chat("E-mail", "I cannot send e-mails.")
        erika.page.locator("#help-status").filter(has_text="No agent is free right now.").wait_for()
        (conversation,) = world.rows(Conversation)
        assert conversation.status == "ticket"

        page = staff_page(anna)  # Anna starts her shift
        page.goto(f"{portal.url}/portal/inbox?lang=en")
        tickets = page.get_by_test_id("tickets")
        assert "Ticket: waiting for an answer" in tickets.inner_text()
        tickets.get_by_role("link", name="Erika Mustermann").click()
        page.wait_for_url(f"**/portal/chats/{conversation.id}")
        page.fill("#message-text", "Please use port 587 for outgoing mail.")
        page.keyboard.press("Enter")
        page.get_by_test_id("conversation-status").filter(has_text="Ticket: answered").wait_for()
        wait_until(lambda: mailbox.messages, what="the e-mail")
    assert mailbox.recipients[0] == ["erika.mustermann@example.de"]
    assert mailbox.messages[0]["Subject"] == "Answer to your question about: E-mail"
    assert "Please use port 587 for outgoing mail." in mailbox.messages[0].get_content()
    erika.wait_for("Please use port 587 for outgoing mail.")
    erika.page.locator("#help-status").filter(
        has_text="Your question has been answered. You can reply here."
    ).wait_for()
    erika.page.screenshot(path=output_dir / "assistant-live-ticket.png", full_page=True)


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


@pytest.mark.portal_settings(chat_attachment_max_bytes=4000)
def test_files_both_ways_and_a_clear_error_for_one_too_large(
    portal, world, customer_assistant, customer_page, staff_page, tmp_path
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["computer"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))
    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Computer", "An error message pops up.")

    screenshot = tmp_path / "error message.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(1200))
    erika.page.set_input_files("#help-file", str(screenshot))
    (conversation,) = world.rows(Conversation)
    page.goto(f"{portal.url}/portal/chats/{conversation.id}?lang=en")
    page.locator("#messages .attachment").filter(has_text="error message.png").wait_for()

    too_large = tmp_path / "holiday video.mp4"
    too_large.write_bytes(bytes(6000))
    erika.page.set_input_files("#help-file", str(too_large))
    error = erika.page.locator("#help-send-error")
    error.filter(has_text="“holiday video.mp4” is too large.").wait_for()
    assert "Files up to 4 kB can be sent." in error.inner_text()

    steps = tmp_path / "steps.txt"
    steps.write_bytes(b"1. Open the settings.")
    page.set_input_files("#attachment-file", str(steps))
    page.get_by_role("button", name="Send file").click()
    link = erika.page.locator("#help-messages li.agent a.file")
    link.filter(has_text="Download steps.txt").wait_for()
    with erika.page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "steps.txt"
    assert download.value.path().read_bytes() == b"1. Open the settings."
    assert world.count(ChatAttachment) == 2  # the large one never left the computer


def test_when_the_agent_ends_the_chat_both_sides_stay_on_it_and_read_that_it_ended(
    portal, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    erika = customer_page(customer_assistant(customer))
    erika.start_chat("E-mail", "An older question, asked while nobody was there.")
    erika.page.locator("#help-status").filter(has_text="No agent is free right now.").wait_for()

    page = staff_page(anna)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda note: problems.append(note.text) if note.type == "error" else None)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # the portal has none
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))
    erika.page.get_by_role("button", name="New question").click()
    erika.start_chat("Wi-Fi", "My Wi-Fi drops every evening.")
    erika.page.locator("#help-status").filter(
        has_text="You are chatting with Anna Berger."
    ).wait_for()
    # A request for a report the customer declines leaves its outcome on the tab.
    request_diagnostics(page, portal, customer, linked_device(world, customer))
    erika.page.get_by_role("dialog", name="Your provider asks for a report").get_by_role(
        "button", name="Decline"
    ).click()
    activity = erika.page.locator("#help-activity")
    activity.filter(has_text="You declined the request from Anna Berger.").wait_for()
    erika.page.reload()  # the customer opens the window again: the chat shows by itself
    erika.page.click(".tab[data-view='help']")
    erika.page.locator("#help-chat-title").filter(has_text="Wi-Fi").wait_for()

    wifi = [c for c in world.rows(Conversation) if c.topic == "wifi"][0]
    page.goto(f"{portal.url}/portal/chats/{wifi.id}?lang=en")
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    page.get_by_role("button", name="Close conversation").click()
    page.get_by_test_id("conversation-status").filter(has_text="Closed").wait_for()
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    assert problems == []

    # The customer stays on the conversation that ended, reads so, and may ask anew.
    erika.wait_for("The conversation has ended.")
    for _ in range(2):  # and so after the page is opened again
        assert erika.page.inner_text("#help-chat-title") == "Wi-Fi"
        assert erika.status() == "This conversation has ended."
        assert erika.page.locator("#help-ended").is_visible()
        assert activity.is_hidden()
        erika.page.reload()
        erika.page.click(".tab[data-view='help']")
        erika.page.locator("#help-chat-title").filter(has_text="Wi-Fi").wait_for()
    erika.page.screenshot(path=output_dir / "assistant-live-ended.png", full_page=True)
    erika.page.locator("#help-ended").get_by_role("button", name="Ask a new question").click()
    erika.page.get_by_label("Your question").wait_for()
    assert erika.page.locator("#help-chat").is_hidden()


def test_a_long_message_is_refused_in_either_composer_and_never_cut(
    portal, world, customer_assistant, customer_page, staff_page
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["wifi"], name="Anna Berger")
    page = staff_page(anna)
    page.goto(f"{portal.url}/portal/inbox?lang=en")
    wait_until(lambda: world.count(LiveConnection, LiveConnection.staff_id == anna.id))
    erika = customer_page(customer_assistant(customer))
    erika.start_chat("Wi-Fi", "Hello.")

    count = erika.page.locator("#help-text-count")
    assert count.is_hidden()
    erika.page.fill("#help-text", "a" * 3_700)  # the limit shows as the customer nears it
    count.filter(has_text="3,700 of 4,000 characters").wait_for()
    erika.page.fill("#help-text", "b" * 4_500)  # pasted: kept whole, and refused
    count.filter(
        has_text="The message is too long: 4,500 characters. Messages of up to 4,000 "
        "characters can be sent."
    ).wait_for()
    assert len(erika.page.input_value("#help-text")) == 4_500
    assert erika.page.locator("#help-send").is_disabled()
    erika.page.keyboard.press("Enter")
    erika.page.fill("#help-text", "c" * 4_000)
    assert erika.page.locator("#help-send").is_enabled()
    erika.page.keyboard.press("Enter")
    wait_until(lambda: world.count(ChatMessage, ChatMessage.text == "c" * 4_000))
    assert world.count(ChatMessage, ChatMessage.sender == "customer") == 2

    (conversation,) = world.rows(Conversation)
    page.goto(f"{portal.url}/portal/chats/{conversation.id}?lang=de")
    page.fill("#message-text", "d" * 4_500)
    page.get_by_test_id("message-count").filter(
        has_text="Die Nachricht ist zu lang: 4.500 Zeichen, erlaubt sind höchstens 4.000."
    ).wait_for()
    assert page.locator("#send-button").is_disabled()
    page.keyboard.press("Enter")
    page.fill("#message-text", "e" * 3_800)
    page.get_by_test_id("message-count").filter(has_text="3.800 von 4.000 Zeichen").wait_for()
    page.keyboard.press("Enter")
    wait_until(lambda: world.count(ChatMessage, ChatMessage.text == "e" * 3_800))
    assert world.count(ChatMessage, ChatMessage.sender == "agent") == 1
