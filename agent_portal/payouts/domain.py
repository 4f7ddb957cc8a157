"""Payouts' registration (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.payouts import models, pages

DOMAIN = Domain(
    name="payouts",
    routers=(pages.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
)
