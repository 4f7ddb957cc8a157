"""Invoices' registration (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.invoices import jobs, models, views

DOMAIN = Domain(name="invoices", routers=(views.router,), models=models, jobs=jobs.periodic)
