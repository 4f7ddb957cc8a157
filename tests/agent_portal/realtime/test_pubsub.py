"""The publish/subscribe interface, in one process and on a real Redis server started for
the test: messages reach every subscriber of their channel in the order published, and
nobody else; a subscriber that left gets nothing more; a worker on another connection
(another process in production) hears the same. Text arrives as text and bytes (binary
frames) as the very same bytes, in one order on one channel."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from agent_portal.realtime.pubsub import InProcessPubSub, make_pubsub
from agent_portal.realtime.redis_pubsub import RedisPubSub
from tests.support.live import Assistant, RestartableServer, StaffClient, wait_until
from tests.support.postgres import free_port


def run(coroutine) -> None:
    """On a thread of its own: a browser test before may have left a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result()


class Collector:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []
        self.arrived = asyncio.Event()

    async def __call__(self, channel: str, message: str) -> None:
        self.received.append((channel, message))
        self.arrived.set()

    async def wait_for(self, count: int) -> None:
        async def enough():
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(enough(), 10)


async def exchange(publisher, subscriber_a, subscriber_b) -> None:
    """Two workers listening; the first hears `device:1` twice, the second `staff:7`."""
    first, second, late = Collector(), Collector(), Collector()
    await subscriber_a.subscribe("device:1", first)
    token = await subscriber_b.subscribe("staff:7", second)
    await subscriber_b.subscribe("staff:7", late)
    await asyncio.sleep(0.1)  # Redis acknowledges subscriptions on its own time
    for number in range(20):
        await publisher.publish("device:1", f'{{"n": {number}}}')
    await publisher.publish("staff:7", "hello")
    await first.wait_for(20)
    await second.wait_for(1)
    assert [message for _channel, message in first.received] == [
        f'{{"n": {number}}}' for number in range(20)
    ]
    assert second.received == [("staff:7", "hello")] == late.received
    await subscriber_b.unsubscribe(token)
    await publisher.publish("staff:7", "again")
    await late.wait_for(2)
    assert second.received == [("staff:7", "hello")]  # it left before "again"
    assert all(channel == "device:1" for channel, _message in first.received)


# Bytes that are no UTF-8, that look like text, that start like a tagged message; text
# beyond ASCII; and a large frame.
MIXED = [
    '{"type": "relay.opened", "stream_id": 7}',
    bytes(range(256)),
    b"",
    "",
    b"T looks like text",
    "B looks like bytes: \u00e4\u00f6\u00fc \u20ac",
    b"\xb1\x01" + bytes(100 * 1024),
    "{}",
]


async def bytes_and_text(publisher, subscriber) -> None:
    heard = Collector()
    await subscriber.subscribe("connection:f00", heard)
    await asyncio.sleep(0.1)
    for message in MIXED:
        await publisher.publish("connection:f00", message)
    await heard.wait_for(len(MIXED))
    received = [message for _channel, message in heard.received]
    assert received == MIXED
    assert [type(message) for message in received] == [type(message) for message in MIXED]


def test_in_process_delivery_in_order_to_the_channels_subscribers():
    async def scenario():
        bus = make_pubsub("")
        assert isinstance(bus, InProcessPubSub)
        await bus.start()
        await exchange(bus, bus, bus)
        await bytes_and_text(bus, bus)
        await bus.close()

    run(scenario())


def test_redis_delivery_between_two_workers(redis_url):
    async def scenario():
        worker_one, worker_two = make_pubsub(redis_url), make_pubsub(redis_url)
        assert isinstance(worker_one, RedisPubSub)
        await worker_one.start()
        await worker_two.start()
        try:
            await exchange(worker_one, worker_two, worker_two)
            # And the other way round: worker one hears what worker two says.
            heard = Collector()
            await worker_one.subscribe("staff-all", heard)
            await asyncio.sleep(0.1)
            await worker_two.publish("staff-all", '{"type": "inbox.changed"}')
            await heard.wait_for(1)
            await bytes_and_text(worker_one, worker_two)
        finally:
            await worker_one.close()
            await worker_two.close()

    run(scenario())


def test_an_unusable_pubsub_setting_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="PORTAL_PUBSUB_URL 'amqp://broker' is not understood"):
        make_pubsub("amqp://broker")


def test_an_unreachable_redis_fails_at_start_naming_it():
    async def scenario():
        bus = make_pubsub(f"redis://127.0.0.1:{free_port()}/0")
        with pytest.raises(Exception, match="127.0.0.1"):
            await bus.start()
        await bus.close()

    run(scenario())


def test_two_workers_on_redis_serve_one_conversation(settings, world, redis_url):
    """The customer's assistant on one worker, the agent's tab on another: by settings
    alone (PORTAL_PUBSUB_URL) they reach each other."""
    settings.pubsub_url = redis_url
    first, second = RestartableServer(settings).start(), RestartableServer(settings).start()
    customer = world.customer()
    _device, key = world.device(customer)
    anna = world.staff("anna.berger", topics=["wifi"])
    tab = StaffClient(second.url, anna.token)
    assistant = Assistant(first.url, key)
    try:
        tab.next("presence", kind="staff", id=anna.id)
        assert assistant.start()
        info = assistant.call(assistant.help.start_chat("wifi", "Hello from worker one."))
        assert info.agent_name == "Anna"
        tab.send({"type": "watch", "conversation_id": info.id})
        assistant.call(assistant.help.send(info.id, "Can you read me?"))
        heard = []
        while "Can you read me?" not in heard:  # the agent's tab hears the customer
            heard.append(tab.next("chat.message", conversation_id=info.id)["message"]["text"])
        tab.send(
            {
                "type": "chat.send",
                "conversation_id": info.id,
                "client_msg_id": "r",
                "text": "Yes, from worker two.",
            }
        )
        tab.next("chat.ack", client_msg_id="r")
        wait_until(
            lambda: any(m.text == "Yes, from worker two." for m in assistant.messages(info.id)),
            what="the answer across workers",
        )
    finally:
        assistant.stop()
        tab.close()
        first.stop()
        second.stop()
