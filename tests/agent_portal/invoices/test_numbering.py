"""Numbers without gaps per series and year: whatever sequence of issues commits or rolls
back, the committed numbers of each series and year are 1, 2, 3, ... with none shared or
skipped; on PostgreSQL two issues at once wait for each other's counter row."""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from agent_portal.database import make_engine, make_session_factory
from agent_portal.invoices import numbering, service
from agent_portal.invoices.models import Invoice, InvoiceCounter
from tests.agent_portal.invoices.sessions import ISSUER, ended_session, people
from tests.support.hypothesis_budget import examples

NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)
_accounts = itertools.count(5000)

issues = st.lists(
    st.tuples(
        st.sampled_from(["invoice", "credit_note"]),
        st.sampled_from([2026, 2027]),
        st.booleans(),  # committed, or rolled back (an issue that failed after its number)
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url)
    yield make_session_factory(engine)
    engine.dispose()


@hypothesis_settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(issues)
def test_committed_numbers_have_no_gaps(sessions, sequence):
    with sessions() as db_session:
        db_session.execute(delete(InvoiceCounter))
        db_session.commit()
    kept = defaultdict(list)
    for series, year, commit in sequence:
        with sessions() as db_session:
            number = numbering.take(db_session=db_session, series=series, year=year)
            if commit:
                db_session.commit()
                kept[series, year].append(number)
            else:
                db_session.rollback()
    for (series, year), numbers in kept.items():
        assert numbers == [f"{year}-{n:06d}" for n in range(1, len(numbers) + 1)], series


def test_a_rolled_back_issue_gives_its_numbers_back(db_session):
    who = people(db_session)
    ended_session(db_session, who, amount=1000)
    service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    db_session.rollback()  # say, the job's worker died before its commit
    invoice, credit_note = service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)
    db_session.commit()
    assert invoice.number == credit_note.number == "2026-000001"


def test_the_year_is_the_issuers_and_starts_again_at_one(db_session):
    who = people(db_session)
    ended_session(db_session, who, amount=1000)
    ended_session(db_session, who, amount=1000)
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 2027 in Zurich
    first, _credit = service.issue_for_session(
        db_session=db_session,
        paid=db_session.scalars(select(service.PaidSession)).first(),
        now=datetime(2026, 12, 31, 22, 0, tzinfo=UTC),
        issuer=ISSUER,
    )
    second, _credit = service.issue_due(db_session=db_session, now=late, issuer=ISSUER)
    assert first.number == "2026-000001"
    assert second.number == "2027-000001"


def test_two_issues_at_once_on_postgresql_take_consecutive_numbers(database_url, sessions):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    with sessions() as db_session:
        who = people(db_session)
        first = ended_session(db_session, who, amount=1000).id
        second = ended_session(db_session, who, amount=2000).id
    numbers: dict[int, list[str]] = {}
    flushed = threading.Event()

    def issue(paid_id: int, wait: bool) -> None:
        with sessions() as db_session:
            paid = db_session.get(service.PaidSession, paid_id)
            issued = service.issue_for_session(
                db_session=db_session, paid=paid, now=NOW, issuer=ISSUER
            )
            numbers[paid_id] = [document.number for document in issued]
            if wait:
                flushed.set()
                time.sleep(0.5)  # the other issue is now waiting for the counter rows
            db_session.commit()

    one = threading.Thread(target=issue, args=(first, True))
    one.start()
    assert flushed.wait(10)
    started = time.monotonic()
    two = threading.Thread(target=issue, args=(second, False))
    two.start()
    one.join(20)
    two.join(20)
    assert time.monotonic() - started >= 0.3  # it waited for the first's commit
    assert numbers == {
        first: ["2026-000001", "2026-000001"],
        second: ["2026-000002", "2026-000002"],
    }
    with sessions() as db_session:
        stored = db_session.scalars(select(Invoice.number).where(Invoice.series == "invoice"))
        assert sorted(stored) == ["2026-000001", "2026-000002"]


@hypothesis_settings(
    max_examples=examples(8),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.booleans(), min_size=1, max_size=5))
def test_stored_documents_have_numbers_without_gaps(sessions, outcomes):
    """Sessions issued one after another, some issues rolled back (a worker that died before
    its commit) and issued again by a later round: each series' stored numbers are 1..n."""
    with sessions() as db_session:
        db_session.execute(delete(Invoice))
        db_session.execute(delete(InvoiceCounter))
        db_session.commit()
        who = people(db_session, account=f"K-{next(_accounts)}", expert=f"x{next(_accounts)}")
        for _ in outcomes:
            ended_session(db_session, who, amount=1000)
    for commit in outcomes:
        with sessions() as db_session:
            service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER, batch=1)
            db_session.commit() if commit else db_session.rollback()
    with sessions() as db_session:
        service.issue_due(db_session=db_session, now=NOW, issuer=ISSUER)  # what is left
        db_session.commit()
        # Every session so far (earlier examples' too: their documents were cleared) once.
        ended = db_session.scalar(select(func.count()).select_from(service.PaidSession))
        for series in ("invoice", "credit_note"):
            numbers = db_session.scalars(
                select(Invoice.number).where(Invoice.series == series).order_by(Invoice.id)
            ).all()
            assert numbers == [f"2026-{n:06d}" for n in range(1, ended + 1)]
