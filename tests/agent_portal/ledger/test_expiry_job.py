"""The ledger's background job, run as the live channel runs it (its own database thread,
committed there): lapsed holds are released and stay released, open ones are left alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from agent_portal.ledger import accounts, jobs, service
from agent_portal.realtime.hub import LiveServices
from agent_portal.realtime.pubsub import InProcessPubSub

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_the_job_releases_lapsed_holds_and_commits(settings, ledger_sessions):
    with ledger_sessions() as db:
        made = [
            service.authorise(
                db_session=db,
                idempotency_key=f"h-{hours}",
                customer_id=5,
                currency="CHF",
                amount=100 * hours,
                now=NOW,
                expires_in=timedelta(hours=hours),
            ).id
            for hours in (1, 3)
        ]
        db.commit()
    live = LiveServices(
        settings=settings,
        session_factory=ledger_sessions,
        pubsub=InProcessPubSub(),
        clock=lambda: NOW + timedelta(hours=2),
    )

    async def run_twice() -> None:
        await jobs.expire_holds(live)
        await jobs.expire_holds(live)

    try:
        asyncio.run(run_twice())
    finally:
        asyncio.run(live.stop())
    with ledger_sessions() as db:
        states = [service.get_hold(db_session=db, hold_id=hold).state for hold in made]
        assert states == ["expired", "pending"]
        assert accounts.balance(db_session=db, code="customer:5:spending:CHF") == 300
