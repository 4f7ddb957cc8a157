"""Two sessions at once on PostgreSQL (where writers really run side by side): of two posts
of one hold exactly one succeeds, and two holds that would each fit the spending limit but
not together are not both made. The first writer waits after its flush, before its commit,
so the second really meets it in the middle."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from agent_portal.ledger import accounts, errors, service, writes
from agent_portal.ledger.check import check
from agent_portal.ledger.models import Hold

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MONTH = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
def postgres_sessions(database_url, ledger_sessions):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    return ledger_sessions


def race(sessions, first, second) -> list[object]:
    """`first(db)` flushes and holds its transaction open while `second(db)` starts; each
    commits on success. Returns what each returned or raised."""
    results: list[object] = [None, None]
    flushed = threading.Event()

    def run(index, action, wait):
        with sessions() as db:
            try:
                results[index] = action(db)
                if wait:
                    flushed.set()
                    time.sleep(0.5)  # the other one is now blocked on our row
                db.commit()
            except errors.LedgerError as refused:
                db.rollback()
                results[index] = refused
            finally:
                flushed.set()

    one = threading.Thread(target=run, args=(0, first, True))
    one.start()
    assert flushed.wait(10)
    two = threading.Thread(target=run, args=(1, second, False))
    two.start()
    one.join(20)
    two.join(20)
    return results


@pytest.mark.parametrize("accounts_known", [False, True], ids=["new accounts", "known accounts"])
def test_two_posts_of_one_hold_at_once_one_succeeds(postgres_sessions, accounts_known):
    """With every account known, both posts go in one conditional UPDATE: the second
    waits for the first's row, then finds the hold posted. With the expert's and the
    platform's accounts still to be made, they go step by step, with the same outcome."""
    with postgres_sessions() as db:
        held = service.authorise(
            db_session=db,
            idempotency_key="h",
            customer_id=1,
            currency="CHF",
            amount=1000,
            now=NOW,
            expires_in=timedelta(hours=1),
        )
        if accounts_known:
            for code in ("expert:7:earnings:CHF", "platform:fees:CHF"):
                accounts.get_or_create(db_session=db, code=code, now=NOW)
        db.commit()

    def post(key, amount):
        parts = service.session_parts(amount, expert_id=7, currency="CHF", fee_percent=Decimal(20))
        return lambda db: service.post(
            db_session=db, idempotency_key=key, hold_id=held.id, parts=parts, now=NOW
        )

    first, second = race(postgres_sessions, post("p-1", 600), post("p-2", 900))
    assert first.amount == 600
    assert isinstance(second, errors.HoldAlreadyResolved) and second.state == "posted"
    with postgres_sessions() as db:
        report = check(db_session=db)
        assert report.ok, report.problem
        assert report.balances["customer:1:spending:CHF"] == 600


def test_two_holds_that_fit_the_limit_only_alone_are_not_both_made(postgres_sessions):
    def authorise(key):
        return lambda db: service.authorise(
            db_session=db,
            idempotency_key=key,
            customer_id=2,
            currency="CHF",
            amount=3000,
            now=NOW,
            expires_in=timedelta(hours=1),
            spending_limit=5000,
            period_start=MONTH,
        )

    with postgres_sessions() as db:  # the account exists, as after a customer's first hold
        service.authorise(
            db_session=db,
            idempotency_key="h-0",
            customer_id=2,
            currency="CHF",
            amount=1,
            now=NOW,
            expires_in=timedelta(hours=1),
        )
        db.commit()
    first, second = race(postgres_sessions, authorise("h-1"), authorise("h-2"))
    assert first.amount == 3000
    assert isinstance(second, errors.SpendingLimitExceeded)


def test_a_hold_read_as_pending_is_not_resolved_again_after_another_resolved_it(
    ledger_sessions,
):
    """The conditional UPDATE alone (no row lock, as on SQLite): a session that read the
    hold as pending before another posted it cannot take it from pending a second time."""
    with ledger_sessions() as db:
        held = service.authorise(
            db_session=db,
            idempotency_key="h",
            customer_id=3,
            currency="CHF",
            amount=1000,
            now=NOW,
            expires_in=timedelta(hours=1),
        )
        db.commit()
    with ledger_sessions() as late, ledger_sessions() as first:
        stale = late.get(Hold, held.id)
        assert stale.state == "pending"
        late.commit()  # its read is over; what it holds in memory is not
        service.void(db_session=first, idempotency_key="v", hold_id=held.id, now=NOW)
        first.commit()
        with pytest.raises(errors.HoldAlreadyResolved) as refused:
            writes.resolve(db_session=late, hold=stale, state="posted")
        assert refused.value.state == "voided"
