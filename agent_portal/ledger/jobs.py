"""The ledger's background work: holds whose time has run out are released."""

from __future__ import annotations

from agent_portal.ledger import service
from agent_portal.unit_of_work import committed

EXPIRY_SECONDS = 60.0  # how often lapsed holds are looked for


async def expire_holds(live) -> None:
    await live.run_db(committed(service.expire_holds), now=live.now())


def periodic(settings) -> list:
    from agent_portal.realtime.hub import PeriodicJob

    return [PeriodicJob("ledger-expire-holds", EXPIRY_SECONDS, expire_holds, singleton=True)]
