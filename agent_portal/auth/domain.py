"""Staff, sign-in and access: its pages, the answers to refused access, its tables, its
commands and templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.auth import audit_events, cli, handlers, models, pages
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="auth",
    routers=(pages.router,),
    install=handlers.install,
    models=models,
    audit_events=audit_events.TEXTS,
    commands=cli.register,
    templates=Path(__file__).parent / "templates",
)
