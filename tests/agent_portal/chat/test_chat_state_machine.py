"""Random sequences of what customers, agents and the background rounds do to a
conversation, run against the chat's real code on both databases and against a plain
reference model of the rules written here. After every step the status, the agent, the
section of every agent's inbox that lists it, the last system message the customer reads
and the customer's status line must match the model, and agree with each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from agent_portal.auth.models import StaffMember
from agent_portal.chat.errors import ChatError
from tests.support.chat_desk import ChatDesk, Where
from tests.support.hypothesis_budget import examples, steps

AGENTS = ("Anna Berger", "Ben Keller", "Tom Richter")  # in the order of their ids
SKILLS = {"Anna Berger": {"internet", "wifi"}, "Ben Keller": {"wifi"}, "Tom Richter": set()}
CANNOT_TAKE_CHATS = ("Eva Expert", "Olga Former")  # an expert, a deactivated agent
TOPICS = ("internet", "wifi", "contract")
GRACE = timedelta(seconds=60)  # nobody online, or the agent gone, for this long


@dataclass
class Reference:
    """The rules in plain words: where a conversation stands and what it becomes."""

    status: str | None = None  # None: the customer has not written yet
    agent: str | None = None
    topic: str = "internet"
    last_system: tuple[str, dict] | None = None
    created_at: datetime | None = None
    queued_at: datetime | None = None
    agent_side_at: datetime | None = None  # the last message of an agent or the system
    online: set[str] = field(default_factory=set)

    def say(self, now: datetime, event: str, **params) -> None:
        self.last_system = (event, params)
        self.agent_side_at = now

    def free_agent(self) -> str | None:
        # One open conversation: every agent has none, the first skilled one gets it.
        skilled = [a for a in AGENTS if a in self.online and self.topic in SKILLS[a]]
        return skilled[0] if skilled else None

    def start(self, now: datetime, topic: str) -> None:
        self.status, self.agent, self.topic, self.last_system = "queued", None, topic, None
        self.created_at = self.queued_at = self.agent_side_at = now
        if not self.online:
            self.become_ticket(now)
        elif (agent := self.free_agent()) is not None:
            self.assign(now, agent, "assigned")

    def assign(self, now: datetime, agent: str, event: str) -> None:
        self.status, self.agent, self.queued_at = "active", agent, None
        self.say(now, event, agent=agent)

    def become_ticket(self, now: datetime) -> None:
        self.status, self.agent, self.queued_at = "ticket", None, None
        self.say(now, "ticket")

    def to_queue(self, now: datetime, event: str) -> None:
        self.status, self.agent, self.queued_at = "queued", None, self.created_at
        self.say(now, event, topic=self.topic)

    def sweep(self, now: datetime) -> None:
        left = self.status == "active" and self.agent not in self.online
        if left and self.agent_side_at <= now - GRACE:
            self.to_queue(now, "queued")
        if self.status != "queued":
            return
        if not self.online:
            if self.queued_at <= now - GRACE:
                self.become_ticket(now)
        elif (agent := self.free_agent()) is not None:
            self.assign(now, agent, "assigned")

    def take_refused(self, agent: str) -> bool:
        return self.status == "closed" or self.status == "active"

    def hand_over_refused(self, by: str, to: str) -> bool:
        return (
            self.status == "closed"
            or to in CANNOT_TAKE_CHATS
            or to in (self.agent, by)
            or to not in self.online
        )

    def may_write(self, agent: str) -> bool:
        return self.status in ("ticket", "answered") or (
            self.status == "active" and self.agent == agent
        )


def expected_sections(model: Reference) -> dict[str, str | None]:
    def section(viewer: str) -> str | None:
        if model.status == "active":
            return "my_chats" if viewer == model.agent else None
        return {"queued": "queue", "ticket": "tickets", "answered": "tickets"}.get(model.status)

    return {agent: section(agent) for agent in AGENTS}


def expected_customer_status(model: Reference) -> str:
    return {
        "queued": "You are next. An agent will be with you shortly.",
        "active": f"You are chatting with {model.agent}.",
        "ticket": "No agent is free right now. You will get the answer here and by e-mail.",
        "answered": "Your question has been answered. You can reply here.",
        "closed": "This conversation has ended.",
    }[model.status]


def agrees_with_itself(where: Where) -> bool:
    """The status and the last system message tell the same story, whatever came before."""
    event, params = where.last_system or (None, {})
    if where.status == "active":
        return event in ("assigned", "transferred") and params.get("agent") == where.agent
    if where.status == "queued":
        return where.agent is None and (
            event is None or (event in ("queued", "transferred") and "topic" in params)
        )
    if where.status in ("ticket", "answered"):
        return where.agent is None and event == "ticket"
    return event == "closed"


class ConversationRules(RuleBasedStateMachine):
    desk: ChatDesk  # set on the class by the test, for each database

    def __init__(self) -> None:
        super().__init__()
        self.desk.reset()
        self.model = Reference()

    def refused(self, expected: bool, action) -> None:
        before = self.desk.where() if self.model.status else None
        try:
            action()
        except ChatError:
            assert expected, "refused, though the rules allow it"
            if before is not None:
                assert self.desk.where() == before, "a refusal changed something"
        else:
            assert not expected, "done, though the rules refuse it"

    @rule(agent=st.sampled_from(AGENTS))
    def comes_online(self, agent: str) -> None:
        if agent not in self.model.online:
            self.desk.online(agent)
            self.model.online.add(agent)

    @rule(agent=st.sampled_from(AGENTS))
    def goes_offline(self, agent: str) -> None:
        if agent in self.model.online:
            self.desk.offline(agent)
            self.model.online.discard(agent)

    @rule(seconds=st.sampled_from([5, 30, 61, 200]))
    def time_passes(self, seconds: int) -> None:
        self.desk.wait(seconds)

    @rule()
    def background_round(self) -> None:
        self.desk.sweep()
        if self.model.status:
            self.model.sweep(self.desk.now)

    @precondition(lambda self: self.model.status in (None, "closed"))
    @rule(topic=st.sampled_from(TOPICS))
    def customer_starts(self, topic: str) -> None:
        self.desk.start(topic)
        self.model.start(self.desk.now, topic)

    @precondition(lambda self: self.model.status)
    @rule()
    def customer_writes(self) -> None:
        self.refused(self.model.status == "closed", self.desk.customer_writes)
        if self.model.status == "answered":
            self.model.status = "ticket"  # the customer reopens the answered ticket

    @precondition(lambda self: self.model.status)
    @rule(agent=st.sampled_from(AGENTS))
    def agent_writes(self, agent: str) -> None:
        allowed = self.model.may_write(agent)
        self.refused(not allowed, lambda: self.desk.agent_writes(agent))
        if allowed:
            self.model.agent_side_at = self.desk.now
            if self.model.status == "ticket":
                self.model.status = "answered"

    @precondition(lambda self: self.model.status)
    @rule(agent=st.sampled_from(AGENTS))
    def agent_takes(self, agent: str) -> None:
        refused = self.model.take_refused(agent)
        self.refused(refused, lambda: self.desk.take(agent))
        if not refused:
            self.model.assign(self.desk.now, agent, "assigned")

    @precondition(lambda self: self.model.status)
    @rule(by=st.sampled_from(AGENTS), to=st.sampled_from(AGENTS + CANNOT_TAKE_CHATS))
    def hand_to_a_colleague(self, by: str, to: str) -> None:
        refused = self.model.hand_over_refused(by, to)
        self.refused(refused, lambda: self.desk.hand_over(by, to=to))
        if not refused:
            self.model.assign(self.desk.now, to, "transferred")

    @precondition(lambda self: self.model.status)
    @rule(by=st.sampled_from(AGENTS), topic=st.sampled_from(TOPICS))
    def hand_to_a_topic(self, by: str, topic: str) -> None:
        refused = self.model.status == "closed"
        self.refused(refused, lambda: self.desk.hand_over(by, topic=topic))
        if not refused:
            self.model.topic = topic
            self.model.to_queue(self.desk.now, "transferred")

    @precondition(lambda self: self.model.status)
    @rule(by=st.sampled_from(["customer", "agent"]))
    def closes(self, by: str) -> None:
        self.desk.close(by)
        if self.model.status != "closed":
            self.model.status, self.model.queued_at = "closed", None
            self.model.say(self.desk.now, "closed", by=by)

    @invariant()
    def every_side_reads_the_same(self) -> None:
        if not self.model.status:
            return
        where = self.desk.where()
        model = self.model
        assert (where.status, where.agent, where.topic) == (model.status, model.agent, model.topic)
        assert where.last_system == model.last_system
        assert where.sections == expected_sections(model)
        assert where.customer_status == expected_customer_status(model)
        assert agrees_with_itself(where), where


@pytest.fixture
def cast(world) -> list[StaffMember]:
    members = [
        world.staff(name.lower().replace(" ", "."), topics=sorted(SKILLS[name]), name=name)
        for name in AGENTS
    ]
    members.append(world.staff("eva.expert", role="expert", name="Eva Expert"))
    former = world.staff("olga.former", name="Olga Former")
    with world.session() as db_session:
        db_session.get(StaffMember, former.id).is_active = False
        db_session.commit()
    return [*members, former]


def test_every_sequence_of_events_keeps_status_place_and_words_in_agreement(world, cast):
    desk = ChatDesk(world, world.customer(language="en"), cast)
    machine = type("Rules", (ConversationRules,), {"desk": desk})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples(25),
            stateful_step_count=steps(20),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
