"""Escalation's registration: its table, audit events and the job that ends unanswered
offers (`agent_portal.domains`). Its socket messages are in `live_kinds.py`."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.escalation import audit_events, models, pages


def jobs(settings):
    from agent_portal.escalation import flows
    from agent_portal.realtime.hub import PeriodicJob

    sweep = settings.live_sweep_seconds
    # An offer lasts minutes: checking a tenth of that often ends it soon enough.
    every = max(sweep, settings.expert_offer_seconds / 10)
    return [PeriodicJob("expert-offers", every, flows.expire_offers, singleton=True)]


DOMAIN = Domain(
    name="escalation",
    routers=(pages.router,),
    templates=Path(__file__).parent / "templates",
    models=models,
    audit_events=audit_events.TEXTS,
    jobs=jobs,
)
