"""The fast path of a chat message on the database itself (one statement on PostgreSQL, two
on SQLite): customer and agent writing at once get unique numbers without gaps, the
conversation changes only in its counter and time, a repeat and every case that is not
the common one are left to the full rules and store nothing."""

from __future__ import annotations

import threading

from agent_portal.chat import fast_path, routing
from agent_portal.chat.models import ChatMessage, Conversation
from agent_portal.database import utcnow
from agent_portal.unit_of_work import committed
from tests.agent_portal.chat.test_chat_service import start


def post(world, conversation_id: int, key: str, *, customer_id=None, staff_id=None, text="Hi"):
    with world.session() as db_session:  # as the handler does: its own unit of work
        return committed(fast_path.post)(
            db_session=db_session,
            conversation_id=conversation_id,
            client_msg_id=key,
            text=text,
            now=utcnow(),
            sender_name="someone",
            customer_id=customer_id,
            staff_id=staff_id,
        )


def active_conversation(world):
    customer = world.customer()
    anna = world.staff("anna.berger", topics=["internet"], name="Anna Berger")
    conversation = start(world, customer)
    with world.session() as db_session:
        routing.take(
            db_session=db_session,
            conversation=db_session.get(Conversation, conversation.id),
            agent=anna,
            now=utcnow(),
        )
        db_session.commit()
    with world.session() as db_session:
        return customer, anna, db_session.get(Conversation, conversation.id)


def test_customer_and_agent_at_once_get_numbers_without_gaps(world):
    customer, anna, before = active_conversation(world)
    errors, stored = [], []

    def write(side: str) -> None:
        try:
            for number in range(15):
                sender = {"customer_id": customer.id} if side == "c" else {"staff_id": anna.id}
                stored.append(post(world, before.id, f"{side}-{number}", **sender))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(side,)) for side in "ca"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(result is not None for result in stored)
    rows = world.rows(ChatMessage, ChatMessage.conversation_id == before.id, order=ChatMessage.seq)
    assert [row.seq for row in rows] == list(range(1, before.last_seq + 31))
    assert sorted(result.ack.seq for result in stored) == list(
        range(before.last_seq + 1, before.last_seq + 31)
    )
    by_key = {row.client_msg_id: row for row in rows}
    assert by_key["a-3"].sender == "agent" and by_key["a-3"].staff_id == anna.id
    assert by_key["c-3"].sender == "customer" and by_key["c-3"].staff_id is None
    assert by_key["c-3"].params == {} and by_key["c-3"].text == "Hi"
    (after,) = world.rows(Conversation)
    assert after.last_seq == before.last_seq + 30
    assert after.created_at == before.created_at  # only the counter and time change
    assert after.updated_at > before.updated_at
    assert stored[0].device_id == before.device_id and stored[0].agent_id == anna.id


def test_a_repeat_and_the_uncommon_cases_are_left_to_the_full_rules(world):
    customer, anna, before = active_conversation(world)
    ben = world.staff("ben.keller", name="Ben Keller")
    stranger = world.customer(account="K-999999", name="Max Meier")
    assert post(world, before.id, "once", customer_id=customer.id) is not None

    assert post(world, before.id, "once", customer_id=customer.id) is None  # a repeat
    assert post(world, before.id, "x1", customer_id=stranger.id) is None  # not theirs
    assert post(world, before.id, "x2", staff_id=ben.id) is None  # a colleague's chat
    assert post(world, before.id, "x3", customer_id=customer.id, text="   ") is None
    assert post(world, before.id, "x4", customer_id=customer.id, text="x" * 5000) is None
    assert post(world, 424242, "x5", customer_id=customer.id) is None

    rows = world.rows(ChatMessage, ChatMessage.conversation_id == before.id)
    assert [row.client_msg_id for row in rows].count("once") == 1
    assert not {"x1", "x2", "x3", "x4", "x5"} & {row.client_msg_id for row in rows}
    (after,) = world.rows(Conversation)
    assert after.last_seq == before.last_seq + 1  # nothing counted for what was refused
