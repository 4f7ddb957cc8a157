"""The mail relay's registration: its tables, its audit events and its two jobs: the
copies of new messages (one worker of the installation) and the SMTP receiver (bound once
per host, see `receiver`). Both only when `PORTAL_MAIL_RELAY_DOMAIN` is set."""

from agent_portal.domains import Domain
from agent_portal.mail_relay import audit_events, jobs, models

DOMAIN = Domain(
    name="mail_relay",
    models=models,
    audit_events=audit_events.TEXTS,
    jobs=jobs.periodic,
)
