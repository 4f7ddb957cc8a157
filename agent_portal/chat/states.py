"""A conversation's status: one state machine, every transition named here and nowhere
else. Every change of `Conversation.status` goes through `move`; a transition the status
does not allow raises (`ConversationClosed` for a closed one, `IllegalTransition`
otherwise) and changes nothing.

    status    who has it                            inbox section        queue place
    queued    nobody yet: waits for an agent        "Queue" (everyone)   set
    active    its agent, live                       agent's "My chats"   none
    ticket    nobody: waits for an answer           "Tickets"            none
    answered  nobody: a ticket an agent answered    "Tickets"            none
    closed    its last agent keeps reading it       none                 none

    event          from                          to        agent      queue place     says
    assign         queued                        active    given      none            assigned
    take           queued, ticket, answered      active    given      none            assigned
    no_agent       queued                        ticket    none       none            ticket
    agent_left     active                        queued    none       first request   queued
    hand_to_agent  queued, active, ticket, ans.  active    given      none            transferred
    hand_to_topic  queued, active, ticket, ans.  queued    none       first request   transferred
    answer         ticket                        answered  none       none            (the answer)
    reopen         answered                      ticket    none       none            (the reply)
    close          queued, active, ticket, ans.  closed    kept       none            closed

A person who has a conversation has it live: taking a ticket, or being handed one, makes
it that agent's chat (it reads "Live chat" in the portal, "You are chatting with …" for
the customer, and sits in the agent's "My chats"). A ticket has no agent: whoever answers
it, it stays in everyone's "Tickets". The customer's reply to an answered ticket reopens
it. A closed conversation is never reopened: the customer starts a new one.

`move` sets the fields and returns the system message to write (event and parameters),
which `service.change_status` stores in the same transaction; the answer and the reply
are messages of their own and need none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from typing import Protocol

from agent_portal.chat.errors import ConversationClosed, IllegalTransition

INITIAL = "queued"  # a new conversation waits for an agent until the routing places it
OPEN = frozenset({"queued", "active", "ticket", "answered"})


class Event(StrEnum):
    assign = "assign"  # the routing gives a waiting chat to a free skilled agent
    take = "take"  # an agent takes a waiting chat or a ticket
    no_agent = "no_agent"  # nobody is online (for a while): it becomes a ticket
    agent_left = "agent_left"  # its agent closed the portal: back to the queue
    hand_to_agent = "hand_to_agent"
    hand_to_topic = "hand_to_topic"
    answer = "answer"  # an agent's message on a ticket
    reopen = "reopen"  # the customer's message on an answered ticket
    close = "close"


class Agent(Enum):
    given = "given"
    none = "none"
    kept = "kept"


class QueuePlace(Enum):
    none = "none"
    first_request = "first_request"  # back in line at the place of the first request


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    agent: Agent
    queue_place: QueuePlace
    says: str | None = None  # the system message's event
    params: tuple[str, ...] = ()  # which of agent, topic, by it names


TRANSITIONS: dict[Event, Transition] = {
    Event.assign: Transition(
        frozenset({"queued"}), "active", Agent.given, QueuePlace.none, "assigned", ("agent",)
    ),
    Event.take: Transition(
        frozenset({"queued", "ticket", "answered"}),
        "active",
        Agent.given,
        QueuePlace.none,
        "assigned",
        ("agent",),
    ),
    Event.no_agent: Transition(
        frozenset({"queued"}), "ticket", Agent.none, QueuePlace.none, "ticket"
    ),
    Event.agent_left: Transition(
        frozenset({"active"}), "queued", Agent.none, QueuePlace.first_request, "queued", ("topic",)
    ),
    Event.hand_to_agent: Transition(
        OPEN, "active", Agent.given, QueuePlace.none, "transferred", ("agent",)
    ),
    Event.hand_to_topic: Transition(
        OPEN, "queued", Agent.none, QueuePlace.first_request, "transferred", ("topic",)
    ),
    Event.answer: Transition(frozenset({"ticket"}), "answered", Agent.none, QueuePlace.none),
    Event.reopen: Transition(frozenset({"answered"}), "ticket", Agent.none, QueuePlace.none),
    Event.close: Transition(OPEN, "closed", Agent.kept, QueuePlace.none, "closed", ("by",)),
}

# What a message does to a ticket: the agent's answers it, the customer's reopens it.
AFTER_MESSAGE = {("agent", "ticket"): Event.answer, ("customer", "answered"): Event.reopen}


class Person(Protocol):
    id: int
    name: str


@dataclass(frozen=True)
class SystemNote:
    """The system message a transition writes: what happened, worded by each reader."""

    event: str
    params: dict[str, str]


def allowed(status: str, event: Event) -> bool:
    return status in TRANSITIONS[event].sources


def after_message(sender: str, status: str) -> Event | None:
    """The transition a message of `sender` makes in `status`, if any."""
    return AFTER_MESSAGE.get((sender, status))


def move(
    conversation,
    event: Event,
    *,
    now: datetime,
    agent: Person | None = None,
    topic: str | None = None,
    by: str | None = None,
) -> SystemNote | None:
    """Moves the conversation by `event`: its status, agent, queue place (and topic, for a
    handover to one); the system message to write, or None."""
    transition = TRANSITIONS[event]
    if conversation.status not in transition.sources:
        if conversation.status == "closed":
            raise ConversationClosed()
        raise IllegalTransition(event.value, conversation.status)
    if (transition.agent is Agent.given) != (agent is not None):
        raise ValueError(f"{event.value}: an agent is given exactly when the transition gives one")
    if topic is not None:
        conversation.topic = topic
    conversation.status = transition.target
    if transition.agent is not Agent.kept:
        conversation.agent_id = agent.id if agent is not None else None
    first_request = transition.queue_place is QueuePlace.first_request
    conversation.queued_at = conversation.created_at if first_request else None
    if transition.target == "closed":
        conversation.closed_at = now
    if transition.says is None:
        return None
    values = {"agent": agent.name if agent else "", "topic": conversation.topic, "by": by or ""}
    return SystemNote(transition.says, {name: values[name] for name in transition.params})
