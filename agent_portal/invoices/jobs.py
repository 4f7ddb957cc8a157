"""The invoices' background work: one worker of the installation at a time issues what is
due (`service.issue_due`), so the meter never calls invoicing: an ended session with a
capture is found by the next round."""

from __future__ import annotations

from agent_portal.invoices import service
from agent_portal.invoices.figures import Issuer
from agent_portal.unit_of_work import committed

ISSUE_SECONDS = 30.0  # an invoice minutes after the session is soon enough


async def issue_due(live) -> None:
    await live.run_db(
        committed(service.issue_due), now=live.now(), issuer=Issuer.from_settings(live.settings)
    )


def periodic(settings) -> list:
    from agent_portal.realtime.hub import PeriodicJob

    return [PeriodicJob("invoices-issue", ISSUE_SECONDS, issue_due, singleton=True)]
