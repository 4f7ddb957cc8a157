"""The ratings of paid sessions' registration: their tables, the assistant's API, the
expert's page and the job that reveals ratings past their deadline (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.session_ratings import jobs, models, pages, views

DOMAIN = Domain(
    name="session_ratings",
    routers=(views.router, pages.router),
    models=models,
    templates=Path(__file__).parent / "templates",
    jobs=jobs.periodic,
)
