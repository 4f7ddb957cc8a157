"""The expert's desk on the database itself: a pre-chat is a conversation of its own kind
with the expert as its agent, never routed to the hotline; an expert who is not online
gets an offline message; busy and away experts are not offered as online, and two sessions
starting at once both make the expert busy; bad input stores nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from agent_portal.auth.models import StaffMember
from agent_portal.chat import routing
from agent_portal.chat.errors import EmptyMessage
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.database import utcnow
from agent_portal.expert_desk import availability, service
from agent_portal.expert_desk.errors import ExpertNotFound
from agent_portal.expert_desk.models import ExpertAvailability
from agent_portal.experts.models import ExpertProfile
from agent_portal.realtime import presence
from isp_common.expert_desk_wire import ExpertStatus
from tests.agent_portal.expert_desk.support import approved_expert

AWAY_AFTER = timedelta(minutes=5)
POLICY = routing.Policy(away_after=AWAY_AFTER, max_chats=4)


def open_tab(world, member, name="tab-1"):
    with world.session() as db_session:
        presence.open_connection(
            db_session=db_session,
            connection_id=f"{name}-{member.id}",
            worker_id="worker",
            now=utcnow(),
            staff_id=member.id,
        )
        db_session.commit()


def close_tab(world, member, name="tab-1"):
    with world.session() as db_session:
        presence.close_connection(
            db_session=db_session, connection_id=f"{name}-{member.id}", now=utcnow()
        )
        db_session.commit()


def start(world, customer, expert_id, text="Can you help with my NAS?", key="first", now=None):
    with world.session() as db_session:
        started = service.start_prechat(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            expert_id=expert_id,
            client_msg_id=key,
            text=text,
            now=now or utcnow(),
            away_after=AWAY_AFTER,
        )
        db_session.commit()
        return started.conversation.id, started.offline


def status(world, expert) -> ExpertStatus:
    """As customers see it (by the profile), and the same as the portal sees it."""
    with world.session() as db_session:
        ids = [expert.expert_id]
        seen = availability.statuses(
            db_session=db_session, expert_ids=ids, now=utcnow(), away_after=AWAY_AFTER
        )[expert.expert_id]
        assert seen is availability.status_of_staff(
            db_session=db_session, staff_id=expert.id, now=utcnow(), away_after=AWAY_AFTER
        )
        return seen


def events(world, conversation_id) -> list[str]:
    rows = world.rows(
        ChatMessage, ChatMessage.conversation_id == conversation_id, order=ChatMessage.seq
    )
    return [row.event or row.sender for row in rows]


def test_a_pre_chat_with_an_online_expert_is_theirs_and_never_routed_to_the_hotline(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    agent = world.staff("anna.berger", topics=("computer",))
    open_tab(world, expert)
    open_tab(world, agent)
    customer = world.customer()
    conversation_id, offline = start(world, customer, expert.expert_id)
    assert offline is False
    [conversation] = world.rows(Conversation)
    assert (conversation.kind, conversation.status, conversation.agent_id) == (
        "expert_prechat",
        "active",
        expert.id,
    )
    assert events(world, conversation_id) == ["customer"]  # no "not online" notice
    # Starting again with the same message id finds the same pre-chat.
    assert start(world, customer, expert.expert_id)[0] == conversation_id
    assert world.count(Conversation) == 1

    # The expert closes the portal long ago: a hotline chat would go back to the queue and
    # to a free agent; the pre-chat stays with its expert.
    close_tab(world, expert)
    later = utcnow() + timedelta(hours=1)
    with world.session() as db_session:
        assert routing.requeue_abandoned(db_session=db_session, now=later) == []
        assert routing.route_queue(db_session=db_session, now=later, policy=POLICY) == []
        db_session.commit()
    [conversation] = world.rows(Conversation)
    assert (conversation.status, conversation.agent_id) == ("active", expert.id)


def test_a_message_to_an_expert_who_is_not_online_waits_as_an_offline_message(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    customer = world.customer()
    conversation_id, offline = start(world, customer, expert.expert_id)  # no portal tab open
    assert offline is True
    assert events(world, conversation_id) == ["customer", "expert_offline"]
    notice = world.rows(ChatMessage, ChatMessage.event == "expert_offline")[0]
    assert notice.params == {"expert": "Eva Experte"}

    open_tab(world, expert)  # back: it is in the inbox, marked as an offline message
    with world.session() as db_session:
        [row] = service.inbox(db_session=db_session, staff_id=expert.id)
        assert (row.conversation.id, row.offline, row.waiting) == (conversation_id, True, True)
        assert row.last_message.text == "Can you help with my NAS?"
        assert service.waiting_count(db_session=db_session, staff_id=expert.id) == 1


def test_busy_and_away_experts_are_not_offered_as_online(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    other = approved_expert(world, "otto.expert", "Otto Fachmann")
    assert status(world, expert) is ExpertStatus.offline  # no tab
    open_tab(world, expert)
    open_tab(world, other)
    assert status(world, expert) is ExpertStatus.online

    def offered() -> set[int]:
        with world.session() as db_session:
            return availability.online_expert_ids(
                db_session=db_session, now=utcnow(), away_after=AWAY_AFTER
            )

    assert offered() == {expert.expert_id, other.expert_id}
    with world.session() as db_session:
        availability.set_busy(db_session=db_session, staff_id=expert.id, now=utcnow())
        availability.set_away(db_session=db_session, staff_id=other.id, now=utcnow())
        db_session.commit()
    assert status(world, expert) is ExpertStatus.busy
    assert status(world, other) is ExpertStatus.away
    assert offered() == set()

    # A customer writing now leaves an offline message.
    _conversation_id, offline = start(world, world.customer(), expert.expert_id)
    assert offline is True

    with world.session() as db_session:
        availability.clear_busy(db_session=db_session, staff_id=expert.id, now=utcnow())
        availability.set_online(db_session=db_session, staff_id=other.id, now=utcnow())
        db_session.commit()
    assert offered() == {expert.expert_id, other.expert_id}
    close_tab(world, other)
    assert status(world, other) is ExpertStatus.offline


def test_an_unanswered_pre_chat_turns_its_expert_away_once(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    open_tab(world, expert)
    customer = world.customer()
    then = utcnow()
    conversation_id, _ = start(world, customer, expert.expert_id, now=then)
    answer_after = timedelta(seconds=120)
    with world.session() as db_session:
        early = service.mark_unanswered_away(
            db_session=db_session, now=then + timedelta(seconds=119), answer_after=answer_after
        )
        assert early == []
        turned = service.mark_unanswered_away(
            db_session=db_session, now=then + timedelta(seconds=121), answer_after=answer_after
        )
        db_session.commit()
    assert [away.staff_id for away in turned] == [expert.id]
    assert status(world, expert) is ExpertStatus.away
    assert events(world, conversation_id) == ["customer", "expert_away"]
    with world.session() as db_session:  # told once
        again = service.mark_unanswered_away(
            db_session=db_session, now=then + timedelta(hours=1), answer_after=answer_after
        )
        assert again == []
        assert availability.away_reason(db_session=db_session, staff_id=expert.id) == ("unanswered")


@pytest.mark.parametrize("who", ["nobody", "unapproved", "suspended", "inactive expert"])
def test_a_pre_chat_with_no_expert_is_refused_and_stores_nothing(world, who):
    customer = world.customer()
    if who == "nobody":
        expert_id = 999_999
    else:
        expert = approved_expert(world, "eva.expert", "Eva Experte")
        expert_id = expert.expert_id
        with world.session() as db_session:
            profile = db_session.get(ExpertProfile, expert_id)
            if who == "unapproved":
                profile.approved_at = None
            elif who == "suspended":
                profile.suspended_at = utcnow()
            else:
                db_session.get(StaffMember, expert.id).is_active = False
            db_session.commit()
    with pytest.raises(ExpertNotFound):
        start(world, customer, expert_id)
    assert world.count(Conversation) == 0
    assert world.count(ChatMessage) == 0


def test_an_empty_first_message_is_refused_and_stores_nothing(world):
    expert = approved_expert(world, "eva.expert", "Eva Experte")
    with pytest.raises(EmptyMessage):
        start(world, world.customer(), expert.expert_id, text="   ")
    assert world.count(Conversation) == 0


def test_two_sessions_starting_at_once_both_make_the_expert_busy(world, database_url):
    """Two of an expert's paid sessions confirmed at the same moment (the expert has never
    been away or busy, so neither finds an availability row): both go through, where the
    second's INSERT once failed on the key and its customer got a server error."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    expert = world.staff("eva.expert", role="expert", name="Eva Experte")
    both_looked = threading.Barrier(2, timeout=10)
    failures: list[BaseException] = []

    def start_a_session() -> None:
        try:
            with world.session() as db_session:
                assert db_session.get(ExpertAvailability, expert.id) is None
                both_looked.wait()  # each has seen no row before either inserts one
                availability.set_busy(db_session=db_session, staff_id=expert.id, now=utcnow())
                db_session.commit()
        except BaseException as failure:  # handed to the test's thread
            failures.append(failure)

    threads = [threading.Thread(target=start_a_session) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert failures == []
    with world.session() as db_session:
        row = db_session.get(ExpertAvailability, expert.id)
        assert row is not None and row.busy_since is not None
