"""Mail's registration: the outbox table and the job that sends it (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.mail import models, worker


def jobs(settings):
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob("mail-outbox", settings.live_sweep_seconds, worker.send_due, singleton=True)
    ]


DOMAIN = Domain(name="mail", models=models, jobs=jobs)
