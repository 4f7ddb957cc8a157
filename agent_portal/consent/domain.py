"""Consent's registration: its JSON API for the assistant (`views.py`), its tables, the
record on the customer page and the job that ends overdue consents (`agent_portal.domains`).
Its socket messages are in `live_kinds.py`."""

from pathlib import Path

from agent_portal.consent import flows, models, page_data, views
from agent_portal.domains import Domain


def jobs(settings):
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob(
            "consent-expiry", settings.live_sweep_seconds, flows.expire_overdue, singleton=True
        )
    ]


DOMAIN = Domain(
    name="consent",
    routers=(views.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
    # Right after the remote diagnostics, whose requests it records.
    customer_sections=((11, page_data.consent_section),),
    jobs=jobs,
)
