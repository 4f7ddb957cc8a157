"""The probes' registration: `/healthz` and `/readyz`, added to the app itself
(`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.health import views

DOMAIN = Domain(name="health", install=views.install)
