"""Unlock codes' registration: the API and pages, their part of the customer page, the
tables and templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.unlock_codes import audit_events, models, pages, views

DOMAIN = Domain(
    name="unlock_codes",
    routers=(views.router, pages.router),
    models=models,
    audit_events=audit_events.TEXTS,
    audit_notes=audit_events.NOTES,
    templates=Path(__file__).parent / "templates",
    customer_sections=((100, pages.unlock_section),),
)
