"""Devices' registration: linking and releasing devices, their part of the customer page
and the templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.devices import audit_events, models, pages, views
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="devices",
    routers=(views.router, pages.router),
    models=models,
    audit_events=audit_events.TEXTS,
    templates=Path(__file__).parent / "templates",
    # Last in the row: unlinking is the one action that cannot be taken back.
    customer_sections=((900, pages.device_section),),
)
