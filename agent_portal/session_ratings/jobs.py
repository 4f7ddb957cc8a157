"""The ratings' background work: revealing the ratings of sessions whose deadline has
passed (`service.reveal_due`), by one worker at a time (a singleton job)."""

from __future__ import annotations

from agent_portal.session_ratings import service
from agent_portal.unit_of_work import committed

# A deadline counted in days needs no check every sweep of the live channel.
REVEAL_CHECK_SECONDS = 60.0


async def reveal_due(live) -> None:
    await live.run_db(
        committed(service.reveal_due),
        now=live.now(),
        rules=service.Rules.from_settings(live.settings),
    )


def periodic(settings) -> list:
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob(
            "rating-reveal",
            max(settings.live_sweep_seconds, REVEAL_CHECK_SECONDS),
            reveal_due,
            singleton=True,
        )
    ]
