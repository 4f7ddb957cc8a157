"""The appointments' background work: the reminders, by one worker of the installation
at a time (a singleton job); each reminder is sent once (`service.send_reminders`), by
e-mail and as a socket notice to the customer's devices and the expert's open tabs."""

from __future__ import annotations

from agent_portal.appointments import notices, service
from agent_portal.unit_of_work import committed


def _remind(*, db_session, now, rules):
    reminded = service.send_reminders(db_session=db_session, now=now, rules=rules)
    return [notices.targets(db_session, appointment) for appointment in reminded]


async def send_reminders(live) -> None:
    rules = service.Rules.from_settings(live.settings)
    reminded = await live.run_db(committed(_remind), now=live.now(), rules=rules)
    for targets in reminded:
        await notices.publish(live, targets, reminder=True)


# A reminder minutes ahead needs no check every sweep of the live channel.
REMINDER_CHECK_SECONDS = 5.0


def periodic(settings) -> list:
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob(
            "appointment-reminders",
            max(settings.live_sweep_seconds, REMINDER_CHECK_SECONDS),
            send_reminders,
            singleton=True,
        )
    ]
