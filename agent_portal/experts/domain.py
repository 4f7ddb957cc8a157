"""Experts' registration: their API and pages, tables and templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.experts import audit_events, models, pages, views

DOMAIN = Domain(
    name="experts",
    routers=(views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    audit_events=audit_events.TEXTS,
)
