"""The attempts domain's registration: its table of counted attempts (`agent_portal.domains`)."""

from agent_portal.attempts import models
from agent_portal.domains import Domain

DOMAIN = Domain(name="attempts", models=models)
