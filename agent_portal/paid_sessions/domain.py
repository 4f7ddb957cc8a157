"""Paid sessions' registration (`agent_portal.domains`): their tables, audit events, the
meter's job and the expert's meter panel. Socket messages are in `live_kinds.py`."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.paid_sessions import audit_events, models, pages


def jobs(settings):
    from agent_portal.paid_sessions import flows
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob(
            "paid-session-meters", settings.session_tick_seconds, flows.tick, singleton=True
        )
    ]


DOMAIN = Domain(
    name="paid_sessions",
    routers=(pages.router,),
    templates=Path(__file__).parent / "templates",
    models=models,
    audit_events=audit_events.TEXTS,
    jobs=jobs,
)
