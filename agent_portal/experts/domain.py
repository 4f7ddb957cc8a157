"""Experts' registration: the expert desk and its templates (`agent_portal.domains`)."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.experts import pages

DOMAIN = Domain(
    name="experts", routers=(pages.router,), templates=Path(__file__).parent / "templates"
)
