"""Customers' registration: the provisioning API and the customer pages, the tables, the
import command and the templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.customers import cli, models, pages, views
from agent_portal.domains import Domain

DOMAIN = Domain(
    name="customers",
    routers=(views.router, pages.router),
    models=models,
    commands=cli.register,
    templates=Path(__file__).parent / "templates",
)
