"""A refusal on the staff socket is worded in the tab's language (the one the portal
remembers for its browser), with the same code in every language: the portal's script
shows the text, and decides by the code."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("language", "unknown", "not_for_role"),
    [
        (
            "de",
            "Dieses Gespräch gibt es nicht.",
            "Ihre Rolle darf watch nicht senden; es ist für: admin, agent.",
        ),
        (
            "en",
            "There is no such conversation.",
            "Your role may not send watch; it is for: admin, agent.",
        ),
    ],
)
def test_a_refusal_on_the_staff_socket_speaks_the_tabs_language(
    world, staff_client, language, unknown, not_for_role
):
    agent = staff_client(world.staff("anna.berger", "agent"), language=language)
    agent.send({"type": "watch", "conversation_id": 424242})
    refused = agent.next("error", conversation_id=424242)
    assert (refused["code"], refused["message"]) == ("not_found", unknown)

    expert = staff_client(world.staff("erik.experte", "expert"), language=language)
    expert.send({"type": "watch", "conversation_id": 424242})
    refused = expert.next("error", conversation_id=424242)
    assert (refused["code"], refused["message"]) == ("forbidden", not_for_role)
