"""A refusal on the staff socket is worded in the tab's language (the one the portal
remembers for its browser), with the same code in every language: the portal's script
shows the text, and decides by the code. So is the answer to a message the server failed
to handle; a fault in a domain's presence hook does not drop the tab."""

from __future__ import annotations

import pytest
from sqlalchemy import text as text_sql

from tests.agent_portal.knowledge import chats

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("language", "unknown", "not_theirs"),
    [
        (
            "de",
            "Dieses Gespräch gibt es nicht.",
            "Experten sehen nur die Chats ihrer eigenen Kunden.",
        ),
        (
            "en",
            "There is no such conversation.",
            "Experts see only their own customers' chats.",
        ),
    ],
)
def test_a_refusal_on_the_staff_socket_speaks_the_tabs_language(
    world, staff_client, language, unknown, not_theirs
):
    agent = staff_client(world.staff("anna.berger", "agent"), language=language)
    agent.send({"type": "watch", "conversation_id": 424242})
    refused = agent.next("error", conversation_id=424242)
    assert (refused["code"], refused["message"]) == ("not_found", unknown)

    with world.session() as db_session:  # a hotline chat, not an expert's
        talk = chats.conversation(db_session, chats.customer(db_session), [("customer", "Hi")])
        db_session.commit()
        hotline_chat = talk.id
    expert = staff_client(world.staff("erik.experte", "expert"), language=language)
    expert.send({"type": "watch", "conversation_id": hotline_chat})
    refused = expert.next("error", conversation_id=hotline_chat)
    assert (refused["code"], refused["message"]) == ("forbidden", not_theirs)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "de",
            "Der Server konnte diese Nachricht nicht verarbeiten; bitte versuchen Sie es noch "
            "einmal.",
        ),
        ("en", "The server could not handle this message; please try again."),
    ],
)
def test_a_failure_of_the_server_names_the_message_and_speaks_the_tabs_language(
    world, staff_client, language, text
):
    """Not a refusal but a fault (here the chat messages' table has gone from under the
    server): the answer still names the request it answers, so the tab knows which message
    to send again, and says so in the tab's language."""
    anna = world.staff("anna.berger", "agent")
    agent = staff_client(anna, language=language)
    agent.next("presence", kind="staff", id=anna.id)  # connected, before the table goes
    with world.session() as db_session:
        erika = chats.customer(db_session)
        talk = chats.conversation(db_session, erika, [("customer", "Hi")], agent=anna)
        db_session.execute(text_sql("ALTER TABLE chat_messages RENAME TO chat_messages_gone"))
        db_session.commit()
    agent.send({"type": "chat.fetch", "conversation_id": talk.id, "request_id": "fetch-1"})
    failed = agent.next("error", request_id="fetch-1")
    assert (failed["code"], failed["message"]) == ("server_error", text)


def test_a_failing_presence_hook_neither_drops_the_socket_nor_the_others(
    portal_app, world, staff_client
):
    """A domain's presence hook fails while a tab opens (it announces the member online):
    the fault is logged, the other domains' hooks still run, and the tab stays connected."""
    hooks = portal_app.state.live.messages.staff_presence_hooks
    heard = []

    async def failing(live, staff_id, status):
        raise RuntimeError("a domain's fault")

    async def listening(live, staff_id, status):
        heard.append((staff_id, status.value))

    hooks[:0] = [failing]
    hooks.append(listening)
    try:
        anna = world.staff("anna.berger", "agent")
        agent = staff_client(anna, language="en")
        agent.next("presence", kind="staff", id=anna.id)
        agent.send({"type": "chat.fetch", "conversation_id": 10**6, "request_id": "after"})
        answer = agent.next("error", request_id="after")  # the socket still answers
        assert answer["request_id"] == "after"
        assert (anna.id, "online") in heard
    finally:
        hooks.remove(failing)
        hooks.remove(listening)
