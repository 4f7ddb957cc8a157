"""Every change of a conversation's status, one by one, on both databases: after each, the
status, the agent, the section of every agent's inbox that lists it, the system message
the customer reads last and the customer's status line all say the same. What cannot
happen in a status is refused with a reason and changes nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import agent_portal.chat
from agent_portal.chat.errors import ChatError, ConversationClosed, TransferRefused
from tests.support.chat_desk import ChatDesk


@pytest.fixture
def desk(world) -> ChatDesk:
    customer = world.customer(language="en")
    staff = [
        world.staff("anna.berger", topics=["internet"], name="Anna Berger"),
        world.staff("tom.richter", topics=[], name="Tom Richter"),  # takes no topic
    ]
    return ChatDesk(world, customer, staff)


NOBODY = {"Anna Berger": None, "Tom Richter": None}


def test_a_new_chat_waits_in_the_queue_while_no_skilled_agent_is_free(desk):
    desk.online("Tom Richter")
    desk.start()
    where = desk.where()
    assert (where.status, where.agent, where.last_system) == ("queued", None, None)
    assert where.sections == {"Anna Berger": "queue", "Tom Richter": "queue"}
    assert where.customer_status == "You are next. An agent will be with you shortly."


def test_the_queue_gives_the_chat_to_a_skilled_agent(desk):
    desk.online("Tom Richter")
    desk.start()
    desk.online("Anna Berger")
    desk.sweep()
    where = desk.where()
    assert (where.status, where.agent) == ("active", "Anna Berger")
    assert where.last_system == ("assigned", {"agent": "Anna Berger"})
    assert where.sections == {"Anna Berger": "my_chats", "Tom Richter": None}
    assert where.customer_status == "You are chatting with Anna Berger."
    assert where.customer_last_system == "Anna Berger is now looking after you."


def test_with_nobody_online_the_chat_becomes_a_ticket(desk):
    desk.start()
    where = desk.where()
    assert (where.status, where.agent, where.last_system) == ("ticket", None, ("ticket", {}))
    assert where.sections == {"Anna Berger": "tickets", "Tom Richter": "tickets"}
    assert where.customer_status.startswith("No agent is free right now.")


def test_the_queue_becomes_a_ticket_once_nobody_has_been_online_for_a_while(desk):
    desk.online("Tom Richter")
    desk.start()
    desk.offline("Tom Richter")
    desk.wait(30)
    desk.sweep()
    assert desk.where().status == "queued"  # a reload of the portal is not leaving
    desk.wait(40)
    desk.sweep()
    assert (desk.where().status, desk.where().last_system) == ("ticket", ("ticket", {}))


def test_a_chat_whose_agent_left_goes_back_to_the_queue_then_becomes_a_ticket(desk):
    desk.online("Anna Berger")
    desk.start()
    desk.offline("Anna Berger")
    desk.wait(61)
    desk.sweep()
    where = desk.where()
    assert (where.status, where.agent) == ("ticket", None)
    assert where.sections == {"Anna Berger": "tickets", "Tom Richter": "tickets"}
    desk.online("Tom Richter")
    desk.online("Anna Berger")
    desk.sweep()
    assert desk.where().status == "ticket"  # a ticket stays one until someone takes it


def test_the_agent_leaving_puts_the_chat_back_in_the_queue_for_others(desk):
    desk.online("Anna Berger")
    desk.online("Tom Richter")
    desk.start()
    desk.offline("Anna Berger")
    desk.wait(61)
    desk.sweep()
    where = desk.where()
    assert (where.status, where.agent) == ("queued", None)
    assert where.last_system == ("queued", {"topic": "internet"})
    assert where.sections == {"Anna Berger": "queue", "Tom Richter": "queue"}


def test_a_ticket_handed_to_an_online_agent_is_that_agents_live_chat(desk):
    """The chat left by its agent went to the queue, became a ticket and was handed to a
    colleague: it reads and sits as the colleague's, on both sides."""
    desk.online("Anna Berger")
    desk.start()
    desk.offline("Anna Berger")
    desk.wait(61)
    desk.sweep()
    assert desk.where().status == "ticket"
    desk.online("Anna Berger")
    desk.online("Tom Richter")
    desk.hand_over("Anna Berger", to="Tom Richter")
    where = desk.where()
    assert (where.status, where.agent) == ("active", "Tom Richter")
    assert where.sections == {"Anna Berger": None, "Tom Richter": "my_chats"}
    assert where.last_system == ("transferred", {"agent": "Tom Richter"})
    assert where.customer_status == "You are chatting with Tom Richter."
    assert where.customer_last_system == "Your chat has been handed over to Tom Richter."


def test_taking_a_ticket_makes_it_the_takers_live_chat(desk):
    desk.start()
    desk.online("Tom Richter")
    desk.take("Tom Richter")
    where = desk.where()
    assert (where.status, where.agent) == ("active", "Tom Richter")
    assert where.sections == {"Anna Berger": None, "Tom Richter": "my_chats"}
    assert where.customer_last_system == "Tom Richter is now looking after you."


def test_a_live_chat_handed_to_a_colleague_or_a_topic(desk):
    desk.online("Anna Berger")
    desk.online("Tom Richter")
    desk.start()
    desk.hand_over("Anna Berger", to="Tom Richter")
    assert desk.where().sections == {"Anna Berger": None, "Tom Richter": "my_chats"}
    desk.hand_over("Tom Richter", topic="contract")
    where = desk.where()
    assert (where.status, where.agent, where.topic) == ("queued", None, "contract")
    assert where.sections == {"Anna Berger": "queue", "Tom Richter": "queue"}
    assert where.customer_last_system == (
        "Your chat has been handed over to the team for “Contract and billing”."
    )


def test_a_ticket_handed_to_a_topic_waits_in_that_queue(desk):
    desk.start()
    desk.online("Tom Richter")
    desk.hand_over("Tom Richter", topic="wifi")
    where = desk.where()
    assert (where.status, where.topic) == ("queued", "wifi")
    assert where.last_system == ("transferred", {"topic": "wifi"})
    assert where.customer_status == "You are next. An agent will be with you shortly."


def test_an_answer_and_the_customers_reply_on_a_ticket(desk):
    desk.start()
    desk.agent_writes("Tom Richter")
    where = desk.where()
    assert (where.status, where.agent, where.last_system) == ("answered", None, ("ticket", {}))
    assert where.sections == {"Anna Berger": "tickets", "Tom Richter": "tickets"}
    assert where.customer_status == "Your question has been answered. You can reply here."
    desk.customer_writes()  # reopens it
    assert (desk.where().status, desk.where().agent) == ("ticket", None)


@pytest.mark.parametrize("before", ["queued", "active", "ticket", "answered"])
def test_closing_ends_it_in_every_open_status(desk, before):
    if before in ("queued", "active"):
        desk.online("Tom Richter" if before == "queued" else "Anna Berger")
    desk.start()
    if before == "answered":
        desk.agent_writes("Tom Richter")
    assert desk.where().status == before
    desk.close("agent")
    desk.close("customer")  # a second close changes nothing
    where = desk.where()
    assert (where.status, where.last_system) == ("closed", ("closed", {"by": "agent"}))
    assert set(where.sections.values()) == {None}
    assert where.customer_status == "This conversation has ended."


def test_a_closed_chat_is_not_reopened(desk):
    desk.online("Anna Berger")
    desk.online("Tom Richter")
    desk.start()
    desk.close("customer")
    for action in (
        lambda: desk.customer_writes(),
        lambda: desk.take("Tom Richter"),
        lambda: desk.hand_over("Anna Berger", to="Tom Richter"),
        lambda: desk.hand_over("Anna Berger", topic="wifi"),
    ):
        with pytest.raises(ConversationClosed):
            action()
    assert (desk.where().status, desk.where().agent) == ("closed", "Anna Berger")


def test_what_cannot_be_done_now_is_refused_and_changes_nothing(desk):
    desk.online("Anna Berger")
    desk.start()
    before = desk.where()
    with pytest.raises(TransferRefused, match="Tom Richter is offline"):
        desk.hand_over("Anna Berger", to="Tom Richter")
    with pytest.raises(TransferRefused, match="Anna Berger has this conversation already"):
        desk.hand_over("Anna Berger", to="Anna Berger")
    with pytest.raises(ChatError, match="yours already"):
        desk.take("Anna Berger")
    desk.online("Tom Richter")
    with pytest.raises(TransferRefused, match="Another agent has taken"):
        desk.take("Tom Richter")
    assert desk.where() == before


def test_a_ticket_is_not_handed_to_someone_offline_nor_to_oneself(desk):
    desk.start()
    desk.online("Anna Berger")
    with pytest.raises(TransferRefused, match="Tom Richter is offline"):
        desk.hand_over("Anna Berger", to="Tom Richter")
    with pytest.raises(TransferRefused, match="to yourself"):
        desk.hand_over("Anna Berger", to="Anna Berger")
    assert (desk.where().status, desk.where().agent) == ("ticket", None)


def test_no_code_but_the_state_machine_sets_a_conversations_status():
    """A status set anywhere else could again contradict where the conversation is."""
    chat = Path(agent_portal.chat.__file__).parent
    setters = []
    for path in sorted(chat.glob("*.py")):
        if path.name == "states.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assigned = node.targets if isinstance(node, ast.Assign) else []
            for target in (part for whole in assigned for part in ast.walk(whole)):
                own = isinstance(target, ast.Attribute) and ast.unparse(target.value) == "self"
                if isinstance(target, ast.Attribute) and target.attr == "status" and not own:
                    setters.append(f"{path.name}:{node.lineno}")
            literal = isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant)
            if literal and node.arg == "status":  # Conversation(status="…")
                setters.append(f"{path.name}:{node.value.lineno}")
    assert setters == []
