"""A refusal on the staff socket is worded in the tab's language (the one the portal
remembers for its browser), with the same code in every language: the portal's script
shows the text, and decides by the code."""

from __future__ import annotations

import pytest

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
