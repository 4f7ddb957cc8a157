"""Experts' registration: their API and pages, tables and templates (`agent_portal.domains`)."""

from pathlib import Path

import agent_portal.experts.search_models  # noqa: F401  (the search index's and ratings' tables)
from agent_portal.domains import Domain
from agent_portal.experts import audit_events, models, pages, search_views, views

DOMAIN = Domain(
    name="experts",
    routers=(views.router, search_views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    audit_events=audit_events.TEXTS,
)
