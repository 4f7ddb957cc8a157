"""Leases: a job of the whole installation (routing the chat queue, sending the outbox,
ending overdue requests, a meter) runs in one worker at a time, whatever the number of
workers, and in another when that one stops or dies.

A lease is a row of `job_leases`: the job's name, the worker holding it and until when.
A worker takes it when nobody holds it or the holder's time has run out, by a conditional
UPDATE (or the INSERT of the first row), so two workers asking at once never both get it:
PostgreSQL re-checks the condition on the row the other just wrote, SQLite has one writer.
The holder renews it before half its time is up; a worker that stops lets go at once; one
that dies holds it until its time runs out, and then another takes over. One table on both
databases, rather than PostgreSQL's advisory locks: a lease also says who runs a job, keeps
it with one worker round after round (a job that runs once per interval runs once per
interval, not once per worker), and outlives a dropped connection.

What a lease cannot promise: a holder stalled for longer than the lease (a machine
suspended, a round far slower than its interval) finds another worker running the job
when it wakes. So each job is also safe when two rounds overlap: the outbox claims its
mails, routing decides under `locks`, and a meter must bill by recorded times, never by
counting its rounds. Workers compare times from their own clocks: keep the hosts'
clocks synchronised (presence relies on this too).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.jobs.models import JobLease

if TYPE_CHECKING:
    from agent_portal.realtime.hub import LiveServices

SHORTEST_LEASE = timedelta(seconds=15)
ROUNDS_PER_LEASE = 5


def lease_time(interval_seconds: float) -> timedelta:
    """How long a lease holds unrenewed: several rounds of its job, and never so short that
    a busy database delays a renewal past it."""
    return max(SHORTEST_LEASE, timedelta(seconds=interval_seconds * ROUNDS_PER_LEASE))


def take(
    *, db_session: Session, name: str, holder: str, now: datetime, duration: timedelta
) -> JobLease:
    """Takes or renews the lease for `holder` if it is free, run out or already its own;
    the lease as it stands afterwards (held by `holder` or by another worker)."""
    lease = db_session.get(JobLease, name, populate_existing=True)
    if lease is None:
        db_session.add(JobLease(name=name, holder=holder, expires_at=now + duration))
        try:
            db_session.commit()
        except IntegrityError:  # another worker wrote the first row just now
            db_session.rollback()
        return db_session.get(JobLease, name, populate_existing=True)
    if lease.holder != holder and lease.expires_at > now:
        return lease
    db_session.execute(
        update(JobLease)
        .where(
            JobLease.name == name,
            or_(JobLease.holder == holder, JobLease.expires_at <= now),
        )
        .values(holder=holder, expires_at=now + duration)
        .execution_options(synchronize_session=False)
    )
    db_session.commit()
    return db_session.get(JobLease, name, populate_existing=True)


def release_all(*, db_session: Session, holder: str) -> int:
    """Lets go of every lease `holder` holds (a worker stopping); how many there were."""
    result = db_session.execute(delete(JobLease).where(JobLease.holder == holder))
    db_session.commit()
    return result.rowcount


class Lease:
    """One worker's hold on one job's lease, asked before each round: renewed once half of
    it has passed, otherwise known without asking the database."""

    def __init__(self, name: str, duration: timedelta) -> None:
        self.name = name
        self.duration = duration
        self._held_until: datetime | None = None

    async def held(self, live: LiveServices) -> bool:
        now = live.now()
        if self._held_until is not None and now < self._held_until - self.duration / 2:
            return True
        lease = await live.run_db(
            take, name=self.name, holder=live.worker_id, now=now, duration=self.duration
        )
        self._held_until = lease.expires_at if lease.holder == live.worker_id else None
        return self._held_until is not None
