"""The chat's rules on the database itself: numbers stay unique and without gaps when many
senders write at once, a repeated message is stored once, bad input is refused with a
reason and stores nothing, and routing picks the skilled agent with the fewest chats."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from agent_portal.chat import routing, service
from agent_portal.chat.errors import AttachmentTooLarge, ConversationClosed, EmptyMessage
from agent_portal.chat.models import ChatAttachment, ChatMessage, Conversation
from agent_portal.database import utcnow
from agent_portal.realtime import presence
from isp_common.live_wire import Topic

POLICY = routing.Policy(away_after=timedelta(minutes=5), max_chats=2)


def start(world, customer, text="Hello", key="first"):
    with world.session() as db_session:
        conversation = service.start_conversation(
            db_session=db_session,
            customer_id=customer.id,
            device_id=None,
            topic=Topic.internet,
            client_msg_id=key,
            text=text,
            now=utcnow(),
        ).conversation
        db_session.commit()
        return conversation


def test_concurrent_senders_get_unique_numbers_without_gaps(world):
    customer = world.customer()
    conversation = start(world, customer)
    errors = []

    def send(worker: int) -> None:
        try:
            for number in range(10):
                with world.session() as db_session:
                    service.post_message(
                        db_session=db_session,
                        sender="customer",
                        conversation=db_session.get(Conversation, conversation.id),
                        client_msg_id=f"{worker}-{number}",
                        text=f"message {worker}-{number}",
                        now=utcnow(),
                        attachment_limit=1000,
                    )
                    db_session.commit()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(m.seq for m in world.rows(ChatMessage))
    assert numbers == list(range(1, 62))
    with world.session() as db_session:
        assert db_session.get(Conversation, conversation.id).last_seq == 61


def test_a_repeated_message_is_stored_once(world):
    customer = world.customer()
    conversation = start(world, customer)
    with world.session() as db_session:
        first = service.post_message(
            db_session=db_session,
            sender="customer",
            conversation=db_session.get(Conversation, conversation.id),
            client_msg_id="again",
            text="Are you there?",
            now=utcnow(),
            attachment_limit=10,
        )
        db_session.commit()
    with world.session() as db_session:
        second = service.post_message(
            db_session=db_session,
            sender="customer",
            conversation=db_session.get(Conversation, conversation.id),
            client_msg_id="again",
            text="Are you there?",
            now=utcnow(),
            attachment_limit=10,
        )
        db_session.commit()
    assert (first.created, second.created) == (True, False)
    assert first.message.seq == second.message.seq == 2
    assert world.count(ChatMessage) == 2
    # Starting again with the same first message finds the same conversation.
    assert start(world, customer, key="first").id == conversation.id
    assert world.count(Conversation) == 1


def test_bad_messages_are_refused_with_the_reason_and_store_nothing(world):
    customer = world.customer()
    conversation = start(world, customer)
    attempts = [
        (EmptyMessage, {"text": "   "}, "The message is empty"),
        (
            AttachmentTooLarge,
            {"text": "", "attachment": service.NewAttachment("a.png", "image/png", b"x" * 11)},
            "The attachment is too large (11 bytes); at most 10 bytes are allowed.",
        ),
    ]
    for error_type, values, reason in attempts:
        with world.session() as db_session, pytest.raises(error_type) as refused:
            service.post_message(
                db_session=db_session,
                sender="customer",
                conversation=db_session.get(Conversation, conversation.id),
                client_msg_id="bad",
                now=utcnow(),
                attachment_limit=10,
                **values,
            )
        assert reason in refused.value.message
    with world.session() as db_session:
        closed = db_session.get(Conversation, conversation.id)
        service.close_conversation(
            db_session=db_session, conversation=closed, by="agent", now=utcnow()
        )
        db_session.commit()
    with world.session() as db_session, pytest.raises(ConversationClosed):
        service.post_message(
            db_session=db_session,
            sender="customer",
            conversation=db_session.get(Conversation, conversation.id),
            client_msg_id="late",
            text="Hello?",
            now=utcnow(),
            attachment_limit=10,
        )
    assert world.count(ChatAttachment) == 0
    assert [m.text for m in world.rows(ChatMessage, order=ChatMessage.seq)] == ["Hello", ""]


def online(world, member):
    with world.session() as db_session:
        presence.open_connection(
            db_session=db_session,
            connection_id=f"tab-{member.id}",
            worker_id="test",
            staff_id=member.id,
            now=utcnow(),
        )
        db_session.commit()


def route(world, conversation) -> routing.Routed:
    with world.session() as db_session:
        routed = routing.route(
            db_session=db_session,
            conversation=db_session.get(Conversation, conversation.id),
            now=utcnow(),
            policy=POLICY,
        )
        db_session.commit()
        return routed


def test_routing_picks_the_skilled_agent_with_the_fewest_chats(world):
    anna = world.staff("anna.berger", topics=["internet"])
    ben = world.staff("ben.keller", topics=["internet", "wifi"])
    world.staff("carla.weiss", topics=["email"])  # online, other skill
    carla = world.rows(type(anna), type(anna).username == "carla.weiss")[0]
    for member in (anna, ben, carla):
        online(world, member)
    customers = [world.customer(f"K-20000{n}", name=f"Kunde {n}") for n in range(1, 6)]
    outcomes = [route(world, start(world, customer)) for customer in customers]
    assert [(o.outcome, o.agent_id) for o in outcomes] == [
        ("assigned", anna.id),  # both free: the first one
        ("assigned", ben.id),  # Anna has one, Ben none
        ("assigned", anna.id),
        ("assigned", ben.id),
        ("queued", None),  # both at their limit of two; Carla lacks the skill
    ]


def test_without_any_agent_online_a_chat_becomes_a_ticket(world):
    world.staff("anna.berger", topics=["internet"])  # exists, but no tab is open
    routed = route(world, start(world, world.customer()))
    assert routed.outcome == "ticket"
    (conversation,) = world.rows(Conversation)
    assert conversation.status == "ticket"
    assert [m.event for m in world.rows(ChatMessage, order=ChatMessage.seq)] == [None, "ticket"]


def test_the_transcript_for_a_knowledge_article_leaves_out_internal_notes(world):
    customer = world.customer(language="en")
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    ben = world.staff("ben.keller", name="Ben Keller")
    online(world, anna)
    online(world, ben)
    conversation = start(world, customer, text="The internet is down.")
    route(world, conversation)
    with world.session() as db_session:
        current = db_session.get(Conversation, conversation.id)
        service.post_message(
            db_session=db_session,
            sender="agent",
            conversation=current,
            staff_id=anna.id,
            client_msg_id="a",
            text="Restart the router, please.",
            now=utcnow(),
            attachment_limit=10,
        )
        routing.transfer(
            db_session=db_session,
            conversation=current,
            by=db_session.get(type(anna), anna.id),
            now=utcnow(),
            policy=POLICY,
            to_staff_id=ben.id,
            note="SECRET internal note",
        )
        db_session.commit()
    with world.session() as db_session:
        transcript = service.transcript(db_session=db_session, conversation_id=conversation.id)
        assert service.transcript(db_session=db_session, conversation_id=999) is None
    assert transcript.title == "Internet connection"
    assert transcript.messages == [
        ("customer", "The internet is down."),
        ("agent", "Restart the router, please."),
    ]
    assert [line.author for line in transcript.lines if line.sender != "system"] == [
        "Erika Mustermann",
        "Anna Berger",
    ]
    assert "SECRET" not in repr(transcript)


def test_a_chat_whose_agent_left_the_portal_goes_back_to_the_queue(world):
    customer = world.customer(language="en")
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    online(world, anna)
    conversation = start(world, customer, text="Are you still there?")
    assert route(world, conversation).agent_id == anna.id
    with world.session() as db_session:
        presence.close_connection(
            db_session=db_session, connection_id=f"tab-{anna.id}", now=utcnow()
        )
        # The customer writes on; that does not keep the chat with Anna.
        service.post_message(
            db_session=db_session,
            sender="customer",
            conversation=db_session.get(Conversation, conversation.id),
            client_msg_id="later",
            text="Hello?",
            now=utcnow(),
            attachment_limit=10,
        )
        db_session.commit()
    with world.session() as db_session:
        soon = routing.requeue_abandoned(db_session=db_session, now=utcnow())
        later = routing.requeue_abandoned(
            db_session=db_session, now=utcnow() + timedelta(minutes=2)
        )
        db_session.commit()
    assert soon == []  # a reload of the portal is not leaving
    assert [(r.conversation_id, r.outcome) for r in later] == [(conversation.id, "queued")]
    with world.session() as db_session:
        back = db_session.get(Conversation, conversation.id)
        assert (back.status, back.agent_id, back.queued_at) == ("queued", None, back.created_at)
    last = world.rows(ChatMessage, order=ChatMessage.seq)[-1]
    assert (last.event, last.params) == ("queued", {"topic": "internet"})
