"""Background work of the realtime domain, run by `LiveServices` every few seconds: keep this
worker's connections counted, forget those of dead workers, and tell the portal when
someone turned away (idle) or came back."""

from __future__ import annotations

from datetime import timedelta

from agent_portal.realtime import presence
from agent_portal.realtime.hub import LiveServices
from agent_portal.realtime.staff_channel import announce


async def keep_presence(live: LiveServices) -> None:
    now = live.now()
    last = getattr(live, "_last_refresh", None)
    if last is None or now - last >= presence.REFRESH_INTERVAL:
        await live.run_db(presence.refresh_worker, worker_id=live.worker_id, now=now)
        await live.run_db(presence.forget_stale, now=now)
        live._last_refresh = now
    statuses = await live.run_db(
        presence.staff_statuses,
        now=now,
        away_after=timedelta(minutes=live.settings.staff_away_minutes),
    )
    known = live.known_staff_statuses
    for staff_id, status in statuses.items():
        if known.get(staff_id) not in (None, status.value):
            await announce(live, staff_id, status)
    live.known_staff_statuses = {staff_id: status.value for staff_id, status in statuses.items()}
