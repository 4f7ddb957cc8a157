"""The ledger's registration: its tables, its `ledger-check` command and the job that
releases lapsed holds. No routes or pages yet: paid sessions call `service` directly."""

from agent_portal.domains import Domain
from agent_portal.ledger import cli, jobs, models

DOMAIN = Domain(name="ledger", models=models, commands=cli.register, jobs=jobs.periodic)
