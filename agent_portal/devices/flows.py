"""What follows an unlink besides the database: the device's open live channel is told and
closed (`realtime.device_channel`), so an unlinked computer keeps no channel to the hotline
and its assistant learns at once that it is no longer linked.

Called from the routes' worker threads after the unlink is committed. The event goes
through pub/sub, so the worker that holds the channel closes it, whichever that is; should
it be lost, the computer learns at its next reconnect or refresh all the same.
"""

from __future__ import annotations

import asyncio
import logging

from agent_portal.realtime.device_channel import UNLINKED_EVENT
from agent_portal.realtime.hub import LiveServices, device_channel

log = logging.getLogger(__name__)
PUBLISH_TIMEOUT_SECONDS = 5


def tell_unlinked(live: LiveServices | None, device_id: str) -> None:
    """From a route's worker thread: closes the device's live channel, if one is open."""
    if live is None or live.loop is None:  # no live channel runs, so none is open
        return
    publishing = live.publish(device_channel(device_id), UNLINKED_EVENT)
    try:
        asyncio.run_coroutine_threadsafe(publishing, live.loop).result(PUBLISH_TIMEOUT_SECONDS)
    except Exception:  # the unlink stands; the device learns at its next request
        log.exception("could not tell the live channel of %s that it was unlinked", device_id)
