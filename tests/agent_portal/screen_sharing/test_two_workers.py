"""Screen sharing across two workers behind one real Redis: the customer's device on one,
the agent's tab on the other. The grant opens the stream on the device's worker, the
picture crosses to the agent's tab, the pulls cross back, and the agent's Stop on the other
worker closes the stream the device's worker opened (it is kept in the database)."""

from __future__ import annotations

import pytest

from agent_portal.screen_sharing import flows
from isp_common.binary_frames import decode
from tests.agent_portal.screen_sharing.support import (
    ScreenDevice,
    hotline_chat,
    red_square_keyframe,
)
from tests.support.live import RestartableServer
from tests.support.relay import on_server, tab_of


@pytest.fixture
def workers(settings, redis_url):
    settings.pubsub_url = redis_url
    first, second = RestartableServer(settings).start(), RestartableServer(settings).start()
    yield first, second
    first.stop()
    second.stop()


def test_the_picture_and_the_stop_cross_workers(workers, world):
    device_server, staff_server = workers
    customer = world.customer()
    device_row, key = world.device(customer)
    anna = world.staff("anna.berger", name="Anna Berger")
    chat = hotline_chat(world, customer, device_row, anna)
    device = ScreenDevice(device_server.url, key)
    tab = tab_of(world, staff_server, anna)
    try:
        view = on_server(
            staff_server, flows.ask_to_see, conversation_id=chat, staff_id=anna.id, reason="Router"
        )
        device.event("consent.request", consent_id=view.id)
        device.grant(view.id)
        stream_id = tab.next("relay.opened", purpose=f"screen-view:{view.id}")["stream_id"]
        assert device.stream_for(view.id) == stream_id
        tab.send({"type": "screen.pull", "consent_id": view.id, "keyframe": True})
        device.event("screen.pull", consent_id=view.id)
        device.send_update(stream_id, red_square_keyframe(), seq=1)
        assert decode(tab.next_binary(timeout=15)).stream_id == stream_id

        on_server(staff_server, flows.stop, consent_id=view.id, staff_id=anna.id)
        tab.next("relay.closed", stream_id=stream_id)
        device.event("relay.closed", stream_id=stream_id)
        assert device.event("consent.closed", consent_id=view.id).reason == "withdrawn"
    finally:
        tab.close()
        device.stop()
