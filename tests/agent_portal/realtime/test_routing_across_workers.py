"""Routing decided by two workers at once on one database: their rounds, and a customer
starting a chat on one while the other routes, give each waiting chat to one agent once,
and no agent more chats than the limit."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

from agent_portal.chat import flows
from agent_portal.chat.models import Conversation
from agent_portal.database import utcnow
from agent_portal.live import build_live
from agent_portal.realtime import presence
from tests.support.live import assignments, queue_conversations

LIMIT = 3


def bring_online(world, *members) -> None:
    """An open portal tab for each, as the staff channel records it."""
    with world.session() as db_session:
        for member in members:
            presence.open_connection(
                db_session=db_session,
                connection_id=uuid.uuid4().hex,
                worker_id="another-worker",
                staff_id=member.id,
                now=utcnow(),
            )
        db_session.commit()


def run(coroutine):
    """On a thread of its own: a browser test before may have left a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_routing_rounds_of_two_workers_at_once_give_each_chat_once(settings, world):
    settings.chat_max_per_agent = LIMIT
    customer = world.customer()
    device, _key = world.device(customer)
    waiting = queue_conversations(world, customer, device, 10)
    anna = world.staff("anna.berger", topics=["wifi"])
    ben = world.staff("ben.kraus", topics=["wifi"])
    bring_online(world, anna, ben)

    async def rounds() -> None:
        workers = [build_live(settings), build_live(settings)]
        try:
            for _round in range(3):
                await asyncio.gather(*(flows.route_waiting(worker) for worker in workers))
        finally:
            for worker in workers:
                await worker.stop()

    run(rounds())
    active = Conversation.status == "active"
    assert {
        member.id: world.count(Conversation, active, Conversation.agent_id == member.id)
        for member in (anna, ben)
    } == {anna.id: LIMIT, ben.id: LIMIT}
    given = assignments(world)
    assert set(given) <= set(waiting)
    assert sorted(given.values()) == [1] * (2 * LIMIT)
