"""Background work of the realtime domain, run by `LiveServices` every few seconds.

- `keep_presence`, in every worker: keeps the worker's own connections counted, and
  knows everyone's status (a tab's activity reads it).
- `PresenceChanges`, in one worker of the installation at a time: forgets the connections
  of dead workers, and tells the portal when someone turned away (idle) or came back;
  told once, not once per worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agent_portal.realtime import presence
from agent_portal.realtime.hub import LiveServices
from agent_portal.realtime.staff_channel import announce
from agent_portal.unit_of_work import committed


async def keep_presence(live: LiveServices) -> None:
    now = live.now()
    last = getattr(live, "_last_refresh", None)
    if last is None or now - last >= presence.REFRESH_INTERVAL:
        await live.run_db(committed(presence.refresh_worker), worker_id=live.worker_id, now=now)
        live._last_refresh = now
    statuses = await _statuses(live, now)
    live.known_staff_statuses = {staff_id: status.value for staff_id, status in statuses.items()}


class PresenceChanges:
    """The job, with what it has told so far (a worker taking the job over starts from
    what it sees then, without repeating it)."""

    def __init__(self) -> None:
        self.told: dict[int, str] | None = None  # None before this job's first round
        self.last_sweep: datetime | None = None

    async def __call__(self, live: LiveServices) -> None:
        now = live.now()
        if self.last_sweep is None or now - self.last_sweep >= presence.REFRESH_INTERVAL:
            await live.run_db(committed(presence.forget_stale), now=now)
            self.last_sweep = now
        statuses = await _statuses(live, now)
        if self.told is not None:
            for staff_id, status in statuses.items():
                # Someone new since the last round opened a tab, which announced them
                # online: if they are away already (a late round), that is a change too.
                before = self.told.get(staff_id, presence.StaffStatus.online.value)
                if before != status.value:
                    await announce(live, staff_id, status)
        self.told = {staff_id: status.value for staff_id, status in statuses.items()}


async def _statuses(live: LiveServices, now: datetime) -> dict[int, presence.StaffStatus]:
    return await live.run_db(
        presence.staff_statuses,
        now=now,
        away_after=timedelta(minutes=live.settings.staff_away_minutes),
    )
