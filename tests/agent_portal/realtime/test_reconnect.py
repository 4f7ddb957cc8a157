"""The server stops and starts again in the middle of a conversation: the assistant and the
portal tab reconnect by themselves, what each side wrote meanwhile goes through once, and
every message is present exactly once on both sides, in two browsers: the agent's portal
tab and the customer's page of the real assistant."""

from __future__ import annotations

import pytest

from agent_portal.chat.models import ChatMessage, Conversation
from tests.support.live import RestartableServer, wait_until

pytestmark = pytest.mark.browser

EXPECTED = {
    "Before the restart: hello.",
    "Before the restart: hello from Anna.",
    "During the restart: are you there?",
    "During the restart: one moment please.",
    "After the restart: thanks.",
    "After the restart: you are welcome.",
}


@pytest.fixture
def server(settings):
    server = RestartableServer(settings).start()
    yield server
    if server.thread.is_alive():
        server.stop()


def stored_messages(world, conversation_id: int) -> list[ChatMessage]:
    return world.rows(
        ChatMessage,
        ChatMessage.conversation_id == conversation_id,
        ChatMessage.sender != "system",
    )


# Chromium logs each refused WebSocket connection while the server is away, whatever the page.
@pytest.mark.expected_console_errors(r"WebSocket connection to \S+ failed: .*CONNECTION_REFUSED")
def test_a_server_restart_mid_conversation_loses_and_doubles_nothing(
    server, world, customer_assistant, customer_page, staff_page, output_dir
):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    page = staff_page(anna, url=server.url)
    page.goto(f"{server.url}/portal/inbox?lang=en")
    erika = customer_page(customer_assistant(customer, url=server.url))
    erika.start_chat("Internet connection", "Before the restart: hello.")
    (conversation,) = world.rows(Conversation)
    page.goto(f"{server.url}/portal/chats/{conversation.id}?lang=en")
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    page.fill("#message-text", "Before the restart: hello from Anna.")
    page.keyboard.press("Enter")
    erika.wait_for("Before the restart: hello from Anna.")

    server.stop()
    erika.page.wait_for_selector("#help-connection:not([data-state='connected'])")
    page.get_by_test_id("connection-state").filter(has_text="reconnecting").wait_for()
    # Both sides write while the server is away; each keeps it until acknowledged.
    erika.write("During the restart: are you there?")
    erika.page.locator("#help-messages li.pending").filter(has_text="Sending …").wait_for()
    page.fill("#message-text", "During the restart: one moment please.")
    page.keyboard.press("Enter")

    server.start()  # a new process, as after an update, on the same port and database
    erika.wait_connected()
    erika.page.locator("#help-messages li.pending").wait_for(state="detached")
    page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
    erika.write("After the restart: thanks.")
    page.fill("#message-text", "After the restart: you are welcome.")
    page.keyboard.press("Enter")

    wait_until(
        lambda: {row.text for row in stored_messages(world, conversation.id)} == EXPECTED,
        what="all six messages stored",
    )
    assert len(stored_messages(world, conversation.id)) == 6  # none twice
    total = world.count(ChatMessage, ChatMessage.conversation_id == conversation.id)

    erika.page.locator("#help-messages li[data-seq]").nth(total - 1).wait_for()
    assert erika.seqs() == list(range(1, total + 1))  # each once, in order
    customer_texts = erika.page.locator(
        "#help-messages li.customer[data-seq] .text, #help-messages li.agent[data-seq] .text"
    ).all_inner_texts()
    assert sorted(customer_texts) == sorted(EXPECTED)
    assert erika.page.locator("#help-messages li.pending, #help-messages li.failed").count() == 0
    erika.page.screenshot(path=output_dir / "assistant-after-restart.png", full_page=True)

    page.locator("#messages li[data-seq]").nth(total - 1).wait_for()
    in_portal = page.locator("#messages li[data-seq] .text").all_inner_texts()
    assert sorted(in_portal) == sorted(EXPECTED)
    portal_seqs = page.locator("#messages li[data-seq]").evaluate_all(
        "items => items.map(item => Number(item.dataset.seq))"
    )
    assert portal_seqs == list(range(1, total + 1))
    assert page.locator("#messages li.pending").count() == 0
    page.screenshot(path=output_dir / "live-after-restart.png", full_page=True)
