"""The invoices' job, run as the live channel runs it (its own database thread, committed
there) and registered as a singleton of the installation: an ended session gets its
invoice and credit note with the issuer from the settings, once however often it runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import select

from agent_portal.database import make_engine, make_session_factory
from agent_portal.invoices import jobs
from agent_portal.invoices.models import Invoice
from agent_portal.realtime.hub import LiveServices
from agent_portal.realtime.pubsub import InProcessPubSub
from tests.agent_portal.invoices.sessions import ended_session, pdf_text, people

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def test_the_job_issues_once_and_commits(settings, db_session):
    settings.isp_name = "Kabelnetz Nord GmbH"
    settings.isp_address = "Hafenstraße 5\n20457 Hamburg"
    settings.isp_tax_id = "DE123456789"
    who = people(db_session)
    ended_session(db_session, who, amount=2000)
    engine = make_engine(settings.database_url)
    live = LiveServices(
        settings=settings,
        session_factory=make_session_factory(engine),
        pubsub=InProcessPubSub(),
        clock=lambda: NOW,
    )

    async def run_twice() -> None:
        await jobs.issue_due(live)
        await jobs.issue_due(live)

    try:
        asyncio.run(run_twice())
    finally:
        asyncio.run(live.stop())
        engine.dispose()
    db_session.expire_all()
    issued = db_session.scalars(select(Invoice).order_by(Invoice.id)).all()
    assert [(d.kind, d.number) for d in issued] == [
        ("invoice", "2026-000001"),
        ("credit_note", "2026-000001"),
    ]
    text = pdf_text(issued[0].pdf)
    assert "Kabelnetz Nord GmbH" in text and "Hafenstraße 5" in text
    assert "Steuernummer: DE123456789" in text
    (job,) = jobs.periodic(settings)
    assert job.singleton and job.name == "invoices-issue"
