"""Entitlements' registration: the API that signs them and the key command
(`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.entitlements import cli, views

DOMAIN = Domain(name="entitlements", routers=(views.router,), commands=cli.register)
