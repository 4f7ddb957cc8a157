"""The server stops and starts again in the middle of a conversation: the assistant and the
portal tab reconnect by themselves, what each sent meanwhile goes through once, and every
message is present exactly once on both sides."""

from __future__ import annotations

import asyncio

import pytest

from agent_portal.chat.models import ChatMessage
from tests.live.support import Assistant, RestartableServer, wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def server(settings):
    server = RestartableServer(settings).start()
    yield server
    if server.thread.is_alive():
        server.stop()


def test_a_server_restart_mid_conversation_loses_and_doubles_nothing(
    server, world, staff_page, output_dir
):
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    page = staff_page(anna, url=server.url)
    page.goto(f"{server.url}/portal/inbox?lang=en")
    assistant = Assistant(server.url, key)
    try:
        assert assistant.start()
        help = assistant.help
        info = assistant.call(help.start_chat("internet", "Before the restart: hello."))
        page.goto(f"{server.url}/portal/chats/{info.id}?lang=en")
        page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
        page.fill("#message-text", "Before the restart: hello from Anna.")
        page.keyboard.press("Enter")
        wait_until(lambda: len(assistant.messages(info.id)) == 3, what="Anna's first message")

        server.stop()
        wait_until(lambda: help.connection != "connected", what="the assistant noticing")
        page.get_by_test_id("connection-state").filter(has_text="reconnecting").wait_for()
        # Both sides write while the server is away; their clients keep it until acknowledged.
        future = asyncio.run_coroutine_threadsafe(
            help.send(info.id, "During the restart: are you there?"), assistant.loop
        )
        page.fill("#message-text", "During the restart: one moment please.")
        page.keyboard.press("Enter")

        server.start()  # a new process, as after an update, on the same port and database
        assert future.result(timeout=30).seq > 3
        page.get_by_test_id("connection-state").filter(has_text="Connected.").wait_for()
        assistant.call(help.send(info.id, "After the restart: thanks."))
        page.fill("#message-text", "After the restart: you are welcome.")
        page.keyboard.press("Enter")

        expected = {
            "Before the restart: hello.",
            "Before the restart: hello from Anna.",
            "During the restart: are you there?",
            "During the restart: one moment please.",
            "After the restart: thanks.",
            "After the restart: you are welcome.",
        }
        stored = wait_until(
            lambda: (
                (
                    rows := world.rows(
                        ChatMessage,
                        ChatMessage.conversation_id == info.id,
                        ChatMessage.sender != "system",
                    )
                )
                and {row.text for row in rows} == expected
                and rows
            ),
            what="all six messages stored",
        )
        assert len(stored) == 6  # none twice
        total = world.count(ChatMessage, ChatMessage.conversation_id == info.id)
        wait_until(
            lambda: len(assistant.messages(info.id)) == total, what="the assistant caught up"
        )
        in_assistant = [m.text for m in assistant.messages(info.id) if m.sender.value != "system"]
        assert sorted(in_assistant) == sorted(expected)
        assert [m.seq for m in assistant.messages(info.id)] == list(range(1, total + 1))
        assert sorted(seq for _cid, m in assistant.shown for seq in [m.seq]) == list(
            range(1, total + 1)
        )  # each shown once

        page.locator("#messages li[data-seq]").nth(total - 1).wait_for()
        in_portal = page.locator("#messages li[data-seq] .text").all_inner_texts()
        assert sorted(in_portal) == sorted(expected)
        portal_seqs = page.locator("#messages li[data-seq]").evaluate_all(
            "items => items.map(item => Number(item.dataset.seq))"
        )
        assert portal_seqs == list(range(1, total + 1))
        assert page.locator("#messages li.pending").count() == 0
        page.screenshot(path=output_dir / "live-after-restart.png", full_page=True)
    finally:
        assistant.stop()
