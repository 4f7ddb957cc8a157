"""The installation's jobs: the tables of leases and locks (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.jobs import models

DOMAIN = Domain(name="jobs", models=models)
