"""The audit log's registration: the admins' log page, its table and templates
(`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.audit import models, views
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="audit",
    routers=(views.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
)
