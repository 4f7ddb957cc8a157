"""The relay's background work beside the live channel's other jobs."""

from __future__ import annotations

from agent_portal.mail_relay import receiver, service
from agent_portal.unit_of_work import committed

RECEIVER_RETRY_SECONDS = 5.0  # how often a worker without the receiver tries to bind


async def queue_copies(live) -> None:
    await live.run_db(
        committed(service.queue_copies),
        now=live.now(),
        domain=live.settings.mail_relay_domain,
        default_language=live.settings.default_language,
    )


def periodic(settings) -> list:
    from agent_portal.realtime.hub import PeriodicJob

    if not settings.mail_relay_domain:
        return []
    found = [
        PeriodicJob("mail-relay-copies", settings.live_sweep_seconds, queue_copies, singleton=True)
    ]
    if settings.mail_relay_listen:
        found.append(PeriodicJob("mail-relay-receiver", RECEIVER_RETRY_SECONDS, receiver.run))
    return found
