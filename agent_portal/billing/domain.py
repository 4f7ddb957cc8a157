"""Billing's registration (`agent_portal.domains`): the ISP bill's feed, the admins'
payments pages, their tables and templates."""

from pathlib import Path

from agent_portal.billing import audit_events, models, pages, views
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="billing",
    routers=(views.router, views.devices, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    audit_events=audit_events.TEXTS,
)
