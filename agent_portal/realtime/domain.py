"""The live channel's registration: the sockets' routes, presence tables and the presence
jobs (`agent_portal.domains`). Its own socket messages are in `live_kinds.py`."""

from agent_portal.domains import Domain
from agent_portal.realtime import jobs as realtime_jobs
from agent_portal.realtime import models, views


def jobs(settings):
    from agent_portal.realtime.hub import PeriodicJob

    sweep = settings.live_sweep_seconds
    # Each worker keeps its own connections alive; the rest is the installation's work,
    # done by one worker at a time (`singleton`), whatever the number of workers.
    return [
        PeriodicJob("presence", sweep, realtime_jobs.keep_presence),
        PeriodicJob("presence-changes", sweep, realtime_jobs.PresenceChanges(), singleton=True),
    ]


DOMAIN = Domain(name="realtime", routers=(views.router,), models=models, jobs=jobs)
