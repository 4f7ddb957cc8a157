"""The appointments' registration: their table, pages and API, audit events and the
reminders' job (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.appointments import audit_events, jobs, models, pages, views
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="appointments",
    routers=(views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    audit_events=audit_events.TEXTS,
    jobs=jobs.periodic,
)
