"""Paid sessions' registration (`agent_portal.domains`): so far their table."""

from agent_portal.domains import Domain
from agent_portal.paid_sessions import models

DOMAIN = Domain(name="paid_sessions", models=models)
