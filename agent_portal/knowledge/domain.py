"""The knowledge base's registration: its API and pages, tables and templates
(`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.knowledge import models, pages, views

DOMAIN = Domain(
    name="knowledge",
    # Its API after the unlock codes' in the API docs.
    order=110,
    routers=(views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
)
