"""Remote diagnostics' registration: the report pages, their part of the customer page,
the tables and templates (`agent_portal.domains`). Its socket messages are in
`live_kinds.py`."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.remote_diagnostics import models, pages

DOMAIN = Domain(
    name="remote_diagnostics",
    routers=(pages.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
    # First in the row: whether the device is there decides what the agent can do.
    customer_sections=((10, pages.diagnostics_section),),
)
