"""The provider profile's registration: its API (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.provider import views

DOMAIN = Domain(name="provider", routers=(views.router,))
