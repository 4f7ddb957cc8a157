"""The ISP bill's feed: every charge, tip and refund of a paid session once, in a stable
order, also when the transactions that wrote them commit out of order; pages of any size
add up to the whole feed; acknowledged lines leave the `unbooked` view and nothing else."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import hypothesis
import pytest
from hypothesis import strategies as st

from agent_portal.billing import service
from agent_portal.billing.errors import CursorInvalid, UnknownCharges
from agent_portal.billing.models import BillingCharge
from agent_portal.database import utcnow
from tests.support import paid_money
from tests.support.hypothesis_budget import examples

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _read_all(db_session, *, limit: int = 100, unbooked: bool = False, after: int = 0):
    lines, cursor = [], service.encode_cursor(after)
    while True:
        page = service.feed(
            db_session=db_session,
            after=service.decode_cursor(cursor),
            limit=limit,
            unbooked=unbooked,
        )
        lines += page.lines
        cursor = page.next_cursor
        if not page.has_more:
            return lines, cursor


def _collect(sessions) -> int:
    with sessions() as db_session:
        count = service.collect(db_session=db_session, now=utcnow())
        db_session.commit()
        return count


def test_each_charge_tip_and_refund_is_one_line_in_the_order_they_happened(sessions, people):
    with sessions() as db_session:
        first = paid_money.ended_session(
            db_session,
            customer_id=people.customer_id,
            expert=people.expert,
            amount=1500,
            waived=300,
            tip=200,
            now=NOON,
        )
        second = paid_money.ended_session(
            db_session,
            customer_id=people.customer_id,
            expert=people.expert,
            amount=900,
            now=NOON + timedelta(hours=1),
        )
        paid_money.refund(
            db_session,
            first.capture_transfer_id,
            500,
            staff_id=people.expert.staff_id,
            now=NOON + timedelta(hours=2),
        )
        db_session.commit()

    assert _collect(sessions) == 4
    assert _collect(sessions) == 0, "a second collection adds nothing"
    with sessions() as db_session:
        lines, _cursor = _read_all(db_session, limit=1)
        seen = [
            (line.charge.paid_session_id, line.charge.kind, line.charge.amount) for line in lines
        ]
        assert seen == [
            (first.id, "charge", 1200),
            (first.id, "tip", 200),
            (second.id, "charge", 900),
            (first.id, "refund", -500),
        ]
        assert {line.account_number for line in lines} == {"K-100234"}
        assert {line.charge.currency for line in lines} == {"CHF"}
        # The customer reads German: the bill line is worded in German.
        assert lines[0].charge.description == "Expertenhilfe: Windows, 10 Minuten"
        assert lines[1].charge.description == "Trinkgeld für Expertenhilfe: Windows"
        assert lines[3].charge.description == "Rückerstattung für Expertenhilfe: Windows"
        again, _ = _read_all(db_session, limit=3)
        assert [line.charge.id for line in again] == [line.charge.id for line in lines]


def test_a_session_that_charged_nothing_has_no_line(sessions, people):
    with sessions() as db_session:
        paid_money.ended_session(
            db_session,
            customer_id=people.customer_id,
            expert=people.expert,
            amount=800,
            waived=800,
        )
        db_session.commit()
    assert _collect(sessions) == 0


def test_the_feed_ends_with_a_cursor_to_poll_with_later(sessions, people):
    with sessions() as db_session:
        paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=700
        )
        db_session.commit()
    _collect(sessions)
    with sessions() as db_session:
        lines, cursor = _read_all(db_session)
        assert len(lines) == 1
        page = service.feed(db_session=db_session, after=service.decode_cursor(cursor))
        assert page.lines == [] and page.next_cursor == cursor and not page.has_more
    with sessions() as db_session:
        paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=300
        )
        db_session.commit()
    _collect(sessions)
    with sessions() as db_session:
        newer, _ = _read_all(db_session, after=service.decode_cursor(cursor))
        assert [line.charge.amount for line in newer] == [300]


def test_a_charge_that_commits_late_comes_after_the_lines_before_it(sessions, people, database_url):
    """Transaction A writes its capture first (the smaller transfer id) but commits after
    B; a reader who read B's line before A committed still gets A's, after B's."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite lets one transaction write at a time: they cannot interleave")
    # A first session makes the ledger's accounts, so the two below share them without
    # waiting for each other's new rows.
    with sessions() as db_session:
        paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=100
        )
        db_session.commit()
    _collect(sessions)
    with sessions() as db_session:
        _lines, start = _read_all(db_session)
    slow = sessions()
    late = paid_money.ended_session(
        slow, customer_id=people.customer_id, expert=people.expert, amount=1000
    )
    with sessions() as db_session:
        early = paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=400
        )
        db_session.commit()
    assert late.capture_transfer_id < early.capture_transfer_id

    assert _collect(sessions) == 1  # A is not committed: not seen, and not waited for
    with sessions() as db_session:
        lines, cursor = _read_all(db_session, after=service.decode_cursor(start))
    assert [line.charge.paid_session_id for line in lines] == [early.id]

    slow.commit()
    slow.close()
    assert _collect(sessions) == 1
    with sessions() as db_session:
        after_cursor, _ = _read_all(db_session, after=service.decode_cursor(cursor))
        assert [line.charge.paid_session_id for line in after_cursor] == [late.id]
        everything, _ = _read_all(db_session, after=service.decode_cursor(start))
    assert [line.charge.paid_session_id for line in everything] == [early.id, late.id]


def test_collections_at_once_give_each_transfer_one_line_and_one_position(sessions, people):
    with sessions() as db_session:
        for amount in range(100, 1300, 100):
            paid_money.ended_session(
                db_session, customer_id=people.customer_id, expert=people.expert, amount=amount
            )
        db_session.commit()
    counts, failures = [], []
    start = threading.Barrier(4)

    def run():
        start.wait()
        try:
            counts.append(_collect(sessions))
        except Exception as failure:  # reported below
            failures.append(failure)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(counts) == 12
    with sessions() as db_session:
        lines, _ = _read_all(db_session)
    assert len({line.charge.transfer_id for line in lines}) == 12
    assert [line.charge.position for line in lines] == list(range(1, 13))


@pytest.fixture
def twelve_lines(sessions, people) -> list[int]:
    """Twelve lines in the feed: eight sessions, four with a tip."""
    with sessions() as db_session:
        for index in range(8):
            paid_money.ended_session(
                db_session,
                customer_id=people.customer_id,
                expert=people.expert,
                amount=500 + index,
                tip=100 if index % 2 else 0,
                now=NOON + timedelta(minutes=index),
            )
        db_session.commit()
    _collect(sessions)
    with sessions() as db_session:
        lines, _ = _read_all(db_session)
    return [line.charge.id for line in lines]


def test_pages_of_any_size_add_up_to_the_feed_also_unbooked(sessions, twelve_lines):
    @hypothesis.settings(max_examples=examples(40), deadline=None, database=None)
    @hypothesis.given(
        limit=st.integers(min_value=1, max_value=14),
        booked=st.sets(st.sampled_from(twelve_lines)),
    )
    def pages_add_up(limit, booked):
        with sessions() as db_session:
            done = (
                service.acknowledge(
                    db_session=db_session, ids=sorted(booked), api_key_id=None, now=utcnow()
                )
                if booked
                else None
            )
            lines, _ = _read_all(db_session, limit=limit)
            assert [line.charge.id for line in lines] == twelve_lines
            unbooked, _ = _read_all(db_session, limit=limit, unbooked=True)
            assert [line.charge.id for line in unbooked] == [
                line for line in twelve_lines if line not in booked
            ]
            if done is not None:
                assert sorted(done.booked) == sorted(booked)
            db_session.rollback()  # each example starts from nothing booked

    pages_add_up()


def test_an_acknowledgement_is_idempotent_and_refused_whole_for_an_unknown_id(
    sessions, twelve_lines
):
    first, second, *_rest = twelve_lines
    with sessions() as db_session:
        done = service.acknowledge(
            db_session=db_session, ids=[first], api_key_id=None, now=utcnow()
        )
        db_session.commit()
    assert done.booked == [first] and done.already_booked == []
    with sessions() as db_session:
        again = service.acknowledge(
            db_session=db_session, ids=[first, first], api_key_id=None, now=utcnow()
        )
        db_session.commit()
    assert again.booked == [] and again.already_booked == [first]

    with sessions() as db_session, pytest.raises(UnknownCharges) as refused:
        service.acknowledge(
            db_session=db_session, ids=[second, 999_999], api_key_id=None, now=utcnow()
        )
    assert refused.value.fields == {"unknown_ids": [999_999]}
    with sessions() as db_session:
        assert db_session.get(BillingCharge, second).booked_at is None, "nothing half-stored"


@pytest.mark.parametrize(
    "cursor", ["nonsense", "YmlsbGluZy12MTotMQ", "YmlsbGluZy12MTowMDE", "é", "=" * 8]
)
def test_a_cursor_the_feed_did_not_give_out_is_refused(cursor):
    with pytest.raises(CursorInvalid):
        service.decode_cursor(cursor)


def test_cursors_are_opaque_and_keep_their_order():
    assert service.decode_cursor(service.encode_cursor(41)) == 41
    assert service.decode_cursor(None) == 0
    assert "41" not in service.encode_cursor(41)
