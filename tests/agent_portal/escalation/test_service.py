"""Offers of experts on the database itself, both databases: the chat's agent offers an
expert, the customer accepts (the conversation with its history and the agent's note
becomes the expert's pre-chat), declines, or leaves it to expire; the agent withdraws;
refusals store nothing; every step is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agent_portal.audit.models import AuditEntry
from agent_portal.auth.models import StaffMember
from agent_portal.chat import access, routing
from agent_portal.chat import service as chat_service
from agent_portal.chat.models import ChatMessage, Conversation, ConversationNote
from agent_portal.database import utcnow
from agent_portal.escalation import service
from agent_portal.escalation.errors import OfferClosed, OfferNotFound, OfferRefused
from agent_portal.escalation.models import ExpertOffer
from agent_portal.expert_desk import service as desk
from agent_portal.expert_desk.errors import ExpertNotFound
from agent_portal.experts.models import ExpertProfile
from isp_common.live_wire import Topic
from tests.agent_portal.expert_desk.support import approved_expert
from tests.agent_portal.expert_desk.test_service import open_tab

AWAY_AFTER = timedelta(minutes=5)
EXPIRES = timedelta(minutes=10)
NOTE = "Router resets every night; firmware is current. Customer wants a NAS backup plan."


def hotline_chat(world, customer, agent) -> int:
    """A live hotline chat the agent holds, with a message from each side."""
    now = utcnow()
    with world.session() as db_session:
        posted = chat_service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            topic=Topic.computer,
            client_msg_id="c1",
            text="My backups to the NAS fail every night.",
            now=now,
        )
        conversation = posted.conversation
        staff = db_session.get(StaffMember, agent.id)
        routing.take(db_session=db_session, conversation=conversation, agent=staff, now=now)
        chat_service.add_message(
            db_session=db_session,
            conversation=conversation,
            sender="agent",
            staff_id=agent.id,
            now=now,
            text="I can offer you an expert for NAS backups.",
        )
        db_session.commit()
        return conversation.id


def offer(world, conversation_id, agent, expert_id, note=NOTE, now=None):
    with world.session() as db_session:
        outcome = service.offer_expert(
            db_session=db_session,
            conversation=db_session.get(Conversation, conversation_id),
            agent=db_session.get(StaffMember, agent.id),
            expert_id=expert_id,
            note=note,
            now=now or utcnow(),
            expires_after=EXPIRES,
        )
        db_session.commit()
        return outcome.offer.id


def answer(world, offer_id, customer, accepted, now=None):
    with world.session() as db_session:
        outcome = service.answer_offer(
            db_session=db_session,
            offer_id=offer_id,
            customer_id=customer.id,
            accepted=accepted,
            now=now or utcnow(),
            away_after=AWAY_AFTER,
        )
        db_session.commit()
        return outcome


def events(world, conversation_id) -> list[str]:
    rows = world.rows(
        ChatMessage, ChatMessage.conversation_id == conversation_id, order=ChatMessage.seq
    )
    return [row.event or row.sender for row in rows]


def audited(world) -> list[str]:
    return [
        entry.event
        for entry in world.rows(AuditEntry, order=AuditEntry.id)
        if "offer" in entry.event
    ]


@pytest.fixture
def parties(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    agent = world.staff("anna.berger", topics=("computer",))
    customer = world.customer()
    conversation_id = hotline_chat(world, customer, agent)
    return expert, agent, customer, conversation_id


def test_an_accepted_offer_hands_the_chat_with_history_and_note_to_the_expert(world, parties):
    expert, agent, customer, conversation_id = parties
    open_tab(world, expert)
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    [message] = world.rows(ChatMessage, ChatMessage.event == "expert_offered")
    assert message.params["offer_id"] == offer_id
    assert message.params["expert_id"] == expert.expert_id
    assert message.params["expert"] == "Eva Experte"
    assert NOTE not in str(message.params)  # the note is for the expert only

    outcome = answer(world, offer_id, customer, accepted=True)
    assert outcome.previous_agent_id == agent.id
    assert outcome.conversation.agent.name == "Eva Experte"  # what the customer's state says
    [conversation] = world.rows(Conversation)
    assert (conversation.id, conversation.kind, conversation.agent_id, conversation.status) == (
        conversation_id,
        "expert_prechat",
        expert.id,
        "active",
    )
    # The same thread: the customer's and the agent's messages, then the offer's steps;
    # the expert is online, so no offline notice.
    assert events(world, conversation_id) == [
        "customer",
        "assigned",
        "agent",
        "expert_offered",
        "expert_accepted",
    ]
    [note] = world.rows(ConversationNote)
    assert (note.author_id, note.to_staff_id, note.text) == (agent.id, expert.id, NOTE)
    # The expert sees it (and so the customer's devices and reports); the agent no longer.
    assert access.sees(expert.staff, conversation)
    assert not access.sees(agent, conversation)
    with world.session() as db_session:
        [row] = desk.inbox(db_session=db_session, staff_id=expert.id)
        assert row.conversation.id == conversation_id
        assert access.expert_serves_customer(
            db_session=db_session, staff_id=expert.id, customer_id=customer.id
        )
    [stored] = world.rows(ExpertOffer)
    assert (stored.status, stored.answered_at is not None) == ("accepted", True)
    assert audited(world) == ["expert_offered", "expert_offer_accepted"]
    # Answering again is refused and changes nothing.
    with pytest.raises(OfferClosed):
        answer(world, offer_id, customer, accepted=False)
    assert world.rows(ExpertOffer)[0].status == "accepted"


def test_accepting_while_the_expert_is_not_online_leaves_an_offline_message(world, parties):
    expert, agent, customer, conversation_id = parties  # no tab of the expert's open
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    answer(world, offer_id, customer, accepted=True)
    assert events(world, conversation_id)[-2:] == ["expert_accepted", "expert_offline"]
    with world.session() as db_session:
        [row] = desk.inbox(db_session=db_session, staff_id=expert.id)
        assert row.offline is True


def test_a_declined_offer_leaves_the_chat_with_the_agent(world, parties):
    expert, agent, customer, conversation_id = parties
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    answer(world, offer_id, customer, accepted=False)
    [conversation] = world.rows(Conversation)
    assert (conversation.kind, conversation.agent_id) == ("hotline", agent.id)
    assert events(world, conversation_id)[-1] == "expert_declined"
    assert world.count(ConversationNote) == 0
    assert audited(world) == ["expert_offered", "expert_offer_declined"]
    # A new offer may follow.
    offer(world, conversation_id, agent, expert.expert_id)
    assert world.count(ExpertOffer, ExpertOffer.status == "offered") == 1


def test_the_agent_withdraws_an_unanswered_offer(world, parties):
    expert, agent, customer, conversation_id = parties
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    other = world.staff("bernd.meier", topics=("computer",))
    with world.session() as db_session, pytest.raises(OfferNotFound):
        service.withdraw_offer(
            db_session=db_session,
            offer_id=offer_id,
            agent=db_session.get(StaffMember, other.id),
            now=utcnow(),
        )
    with world.session() as db_session:
        service.withdraw_offer(
            db_session=db_session,
            offer_id=offer_id,
            agent=db_session.get(StaffMember, agent.id),
            now=utcnow(),
        )
        db_session.commit()
    assert events(world, conversation_id)[-1] == "offer_withdrawn"
    with pytest.raises(OfferClosed):
        answer(world, offer_id, customer, accepted=True)
    [conversation] = world.rows(Conversation)
    assert (conversation.kind, conversation.agent_id) == ("hotline", agent.id)
    assert audited(world) == ["expert_offered", "expert_offer_withdrawn"]


def test_an_unanswered_offer_expires(world, parties):
    expert, agent, customer, conversation_id = parties
    start = utcnow()
    offer_id = offer(world, conversation_id, agent, expert.expert_id, now=start)
    with world.session() as db_session:
        assert service.expire_offers(db_session=db_session, now=start + EXPIRES / 2) == []
        ended = service.expire_offers(db_session=db_session, now=start + EXPIRES)
        assert [outcome.offer.id for outcome in ended] == [offer_id]
        db_session.commit()
    assert world.rows(ExpertOffer)[0].status == "expired"
    assert events(world, conversation_id)[-1] == "offer_expired"
    with pytest.raises(OfferClosed):
        answer(world, offer_id, customer, accepted=True, now=start + EXPIRES)
    assert audited(world) == ["expert_offered", "expert_offer_expired"]


def test_a_late_answer_is_refused_even_before_the_job_ran(world, parties):
    expert, agent, customer, conversation_id = parties
    start = utcnow()
    offer_id = offer(world, conversation_id, agent, expert.expert_id, now=start)
    with pytest.raises(OfferClosed):
        answer(world, offer_id, customer, accepted=True, now=start + EXPIRES)
    assert world.rows(ExpertOffer)[0].status == "offered"
    assert world.rows(Conversation)[0].kind == "hotline"


def test_an_agent_who_does_not_hold_the_chat_cannot_offer(world, parties):
    expert, agent, customer, conversation_id = parties
    other = world.staff("bernd.meier", topics=("computer",))
    with pytest.raises(OfferRefused) as refused:
        offer(world, conversation_id, other, expert.expert_id)
    assert "Only the agent who holds this live chat" in str(refused.value)
    assert world.count(ExpertOffer) == 0
    assert events(world, conversation_id)[-1] == "agent"
    assert audited(world) == []


def test_only_one_offer_waits_at_a_time_and_notes_are_limited(world, parties):
    expert, agent, customer, conversation_id = parties
    with pytest.raises(OfferRefused):
        offer(world, conversation_id, agent, expert.expert_id, note="x" * 2001)
    assert world.count(ExpertOffer) == 0
    offer(world, conversation_id, agent, expert.expert_id)
    with pytest.raises(OfferRefused):
        offer(world, conversation_id, agent, expert.expert_id)
    assert world.count(ExpertOffer) == 1


@pytest.mark.parametrize("state", ["unapproved", "suspended", "deactivated"])
def test_an_expert_customers_cannot_have_cannot_be_offered(world, parties, state):
    expert, agent, customer, conversation_id = parties
    with world.session() as db_session:
        profile = db_session.get(ExpertProfile, expert.expert_id)
        if state == "unapproved":
            profile.approved_at = None
        elif state == "suspended":
            profile.suspended_at = utcnow()
        else:
            db_session.get(StaffMember, expert.id).is_active = False
        db_session.commit()
    with pytest.raises(ExpertNotFound):
        offer(world, conversation_id, agent, expert.expert_id)
    assert world.count(ExpertOffer) == 0
    assert events(world, conversation_id)[-1] == "agent"


def test_an_expert_suspended_after_the_offer_cannot_be_accepted(world, parties):
    expert, agent, customer, conversation_id = parties
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    with world.session() as db_session:
        db_session.get(ExpertProfile, expert.expert_id).suspended_at = utcnow()
        db_session.commit()
    with pytest.raises(ExpertNotFound):
        answer(world, offer_id, customer, accepted=True)
    [conversation] = world.rows(Conversation)
    assert (conversation.kind, conversation.agent_id) == ("hotline", agent.id)
    assert world.count(ConversationNote) == 0


def test_another_customer_cannot_answer(world, parties):
    expert, agent, customer, conversation_id = parties
    offer_id = offer(world, conversation_id, agent, expert.expert_id)
    stranger = world.customer("K-999001")
    with pytest.raises(OfferNotFound):
        answer(world, offer_id, stranger, accepted=True)
    assert world.rows(ExpertOffer)[0].status == "offered"
