"""The audit log's registration: the admins' log page, its table and templates
(`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.audit import models, pages
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="audit",
    routers=(pages.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
)
