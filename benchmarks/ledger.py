"""What a posted transfer costs, next to a bare single-row INSERT on the same database.

In one run, on a fresh database (SQLite in a temporary folder; with `--database-url` a new
database on that PostgreSQL server, dropped at the end), migrated as the portal does:

1. the bare baseline: N single-row INSERTs into a one-column table, one commit each;
2. the ledger: N paid sessions, each a hold authorised (with the spending limit checked)
   and posted for part of it, split between expert, platform fee and tax, one commit
   each, as a session's two requests would do.

Measures this process's CPU time (user + system, `time.process_time`) per operation, the
steadier figure on a shared machine; PostgreSQL's own processes are not counted. A few
warm-up rounds of each come first. Afterwards `ledger-check`'s rules run over the result.
The last line is one JSON object: `transfer_cpu_ms` (authorise + post, per session),
`authorise_cpu_ms`, `post_cpu_ms`, `bare_insert_cpu_ms`, `ratio`, `database`, `count`.

    .venv/bin/python benchmarks/ledger.py [--count 500] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from scratch_database import scratch_database
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from agent_portal.database import make_engine, make_session_factory
from agent_portal.ledger import service
from agent_portal.ledger.check import check
from agent_portal.migrate import upgrade_to_head

WARM_UP = 20
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MONTH = datetime(2026, 12, 1, tzinfo=UTC)

bare_rows = Table(
    "benchmark_bare_rows",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("note", String(40), nullable=False),
)


def bare_inserts(session_factory, start: int, count: int) -> float:
    """CPU seconds for `count` single-row INSERTs, each committed."""
    began = time.process_time()
    for number in range(start, start + count):
        with session_factory() as db:
            db.execute(insert(bare_rows).values(note=f"row {number}"))
            db.commit()
    return time.process_time() - began


def sessions(session_factory, start: int, count: int) -> tuple[float, float]:
    """CPU seconds of the authorisations and of the posts of `count` paid sessions."""
    authorising = posting = 0.0
    for number in range(start, start + count):
        began = time.process_time()
        with session_factory() as db:
            hold = service.authorise(
                db_session=db,
                idempotency_key=f"bench-hold-{number}",
                customer_id=number % 50,
                currency="CHF",
                amount=6000,
                now=NOW,
                expires_in=timedelta(hours=24),
                spending_limit=10**12,
                period_start=MONTH,
            )
            db.commit()
            hold_id = hold.id
        middle = time.process_time()
        with session_factory() as db:
            parts = service.session_parts(
                1234 + number % 977,
                expert_id=number % 20,
                currency="CHF",
                fee_percent=Decimal(20),
                tax_percent=Decimal("8.1"),
            )
            service.post(
                db_session=db,
                idempotency_key=f"bench-post-{number}",
                hold_id=hold_id,
                parts=parts,
                now=NOW,
            )
            db.commit()
        ended = time.process_time()
        authorising += middle - began
        posting += ended - middle
    return authorising, posting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="operations of each kind")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    args = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="ledger-bench-") as folder,
        scratch_database(args.database_url or f"sqlite:///{Path(folder) / 'portal.db'}") as url,
    ):
        engine = make_engine(url)
        upgrade_to_head(engine)
        bare_rows.create(engine)
        session_factory = make_session_factory(engine)
        database = "SQLite" if engine.dialect.name == "sqlite" else "PostgreSQL"
        bare_inserts(session_factory, 0, WARM_UP)
        sessions(session_factory, 0, WARM_UP)
        bare = bare_inserts(session_factory, WARM_UP, args.count)
        authorising, posting = sessions(session_factory, WARM_UP, args.count)
        with session_factory() as db:
            report = check(db_session=db)
        engine.dispose()

    per = 1000 / args.count
    result = {
        "database": database,
        "count": args.count,
        "transfer_cpu_ms": round((authorising + posting) * per, 3),
        "authorise_cpu_ms": round(authorising * per, 3),
        "post_cpu_ms": round(posting * per, 3),
        "bare_insert_cpu_ms": round(bare * per, 3),
    }
    result["ratio"] = round(result["transfer_cpu_ms"] / max(result["bare_insert_cpu_ms"], 1e-9), 1)
    print(f"{database}, {args.count} of each, CPU of this process per operation:")
    print(f"  bare single-row INSERT + commit  {result['bare_insert_cpu_ms']:8.3f} ms")
    print(f"  authorise (limit checked)        {result['authorise_cpu_ms']:8.3f} ms")
    print(f"  post (split in three)            {result['post_cpu_ms']:8.3f} ms")
    print(
        f"  paid session's transfer          {result['transfer_cpu_ms']:8.3f} ms "
        f"({result['ratio']}x the bare INSERT)"
    )
    print(f"  ledger-check afterwards: {'passed' if report.ok else report.problem}")
    print(json.dumps(result))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
