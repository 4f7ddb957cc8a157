"""The expert's desk's registration: its pages and API, its table, its templates and the
job that turns experts away who leave a new pre-chat unanswered (`agent_portal.domains`).
Its socket message is in `live_kinds.py`."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.expert_desk import flows, models, pages, views


def jobs(settings):
    from agent_portal.realtime.hub import PeriodicJob

    sweep = settings.live_sweep_seconds
    # An answer time of minutes needs no check every sweep: a quarter of it is soon enough.
    every = max(sweep, settings.expert_answer_seconds / 4)
    return [PeriodicJob("expert-answers", every, flows.turn_away_unanswered, singleton=True)]


DOMAIN = Domain(
    name="expert_desk",
    routers=(views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    jobs=jobs,
)
