"""Jobs of the whole installation run in one worker at a time: of two workers on one
database, one holds the job's lease and runs it while the other waits; when the holder
stops, the other takes over at its next round, and when the holder dies, once its lease
has run out. Jobs of a worker's own run in every worker."""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from agent_portal.database import Base, make_engine
from agent_portal.jobs import leases
from agent_portal.live import build_live
from agent_portal.realtime.hub import PeriodicJob

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=15)


def run(coroutine):
    """On a thread of its own: a browser test before may have left a loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_lease_table_is_migrated_as_the_model_describes(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert [diff for diff in differences if "job_leases" in repr(diff)] == []


def test_one_worker_holds_a_lease_until_it_runs_out_or_is_let_go(world):
    def take(holder: str, at: datetime) -> str:
        with world.session() as db_session:
            return leases.take(
                db_session=db_session, name="meter", holder=holder, now=at, duration=LEASE
            ).holder

    assert take("first", NOW) == "first"
    assert take("second", NOW + timedelta(seconds=1)) == "first"
    assert take("first", NOW + timedelta(seconds=10)) == "first"  # renewed until 0:25
    assert take("second", NOW + timedelta(seconds=20)) == "first"
    assert take("second", NOW + timedelta(seconds=26)) == "second"  # the first one died
    assert take("first", NOW + timedelta(seconds=27)) == "second"  # and woke up too late
    with world.session() as db_session:
        assert leases.release_all(db_session=db_session, holder="second") == 1
    assert take("first", NOW + timedelta(seconds=28)) == "first"


def test_a_singleton_job_runs_in_one_of_two_workers_and_moves_when_it_stops(settings):
    rounds: Counter[tuple[str, str]] = Counter()  # (job, worker) → rounds run

    def counting(job: str):
        async def run_round(live) -> None:
            rounds[job, live.worker_id] += 1

        return run_round

    async def until(condition, seconds: float = 10) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not condition():
            assert asyncio.get_running_loop().time() < deadline, f"not within {seconds} s"
            await asyncio.sleep(0.02)

    def ran(job: str) -> set[str]:
        return {worker for (name, worker), count in rounds.items() if name == job and count}

    async def scenario() -> None:
        workers = [build_live(settings), build_live(settings)]
        for worker in workers:
            worker.jobs = [
                PeriodicJob("meter", 0.02, counting("meter"), singleton=True),
                PeriodicJob("own", 0.02, counting("own")),
            ]
            await worker.start()
        await until(lambda: sum(rounds.values()) >= 60)
        assert ran("own") == {worker.worker_id for worker in workers}
        (holder_id,) = ran("meter")
        holder = next(worker for worker in workers if worker.worker_id == holder_id)
        other = next(worker for worker in workers if worker is not holder)
        await holder.stop()
        rounds.clear()
        # Taken over at the other's next round, long before the lease would run out.
        await until(lambda: rounds["meter", other.worker_id] >= 10, seconds=5)
        await other.stop()
        assert ran("meter") == ran("own") == {other.worker_id}

    run(scenario())


def test_a_dead_holders_job_moves_once_its_lease_has_run_out(settings):
    clock = {"now": NOW}

    async def scenario() -> list[bool]:
        dead, alive = (build_live(settings, clock=lambda: clock["now"]) for _ in range(2))
        try:
            asked = [await leases.Lease("outbox", LEASE).held(dead)]  # then it dies
            lease = leases.Lease("outbox", LEASE)
            for seconds in (1, 14, 16):
                clock["now"] = NOW + timedelta(seconds=seconds)
                asked.append(await lease.held(alive))
            return asked
        finally:
            await dead.stop()
            await alive.stop()

    assert run(scenario()) == [True, False, False, True]
