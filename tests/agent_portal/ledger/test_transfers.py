"""The ledger's rules one example at a time, on both databases: what a paid session's hold,
capture, release and refund do to the balances, and every kind of bad input refused with
its own error and nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from agent_portal.ledger import accounts, errors, service
from agent_portal.ledger.check import check
from agent_portal.ledger.models import Entry, Transfer
from agent_portal.ledger.service import Part

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
MONTH = datetime(2026, 12, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
CUSTOMER = 42
EXPERT = 7


@pytest.fixture
def db(ledger_sessions):
    with ledger_sessions() as db_session:
        yield db_session


def hold(db, amount=1000, key="h-1", *, limit=None, currency="CHF", now=NOW, customer=CUSTOMER):
    return service.authorise(
        db_session=db,
        idempotency_key=key,
        customer_id=customer,
        currency=currency,
        amount=amount,
        now=now,
        expires_in=HOUR,
        spending_limit=limit,
        period_start=MONTH,
    )


def parts(amount, currency="CHF"):
    return service.session_parts(
        amount, expert_id=EXPERT, currency=currency, fee_percent=Decimal(20)
    )


def balance(db, code):
    return accounts.balance(db_session=db, code=code)


def stored(db):
    return db.scalar(select(func.count()).select_from(Transfer)), db.scalar(
        select(func.count()).select_from(Entry)
    )


SPENDING = accounts.customer_spending(CUSTOMER, "CHF")
EARNINGS = accounts.expert_earnings(EXPERT, "CHF")
FEES = accounts.platform_fees("CHF")
HOLDS = accounts.holds("CHF")


def test_a_session_is_held_then_captured_split_and_the_rest_released(db):
    held = hold(db, 2000)
    assert balance(db, SPENDING) == 2000  # the hold counts at once
    posted = service.post(
        db_session=db, idempotency_key="p-1", hold_id=held.id, parts=parts(1234), now=NOW
    )
    db.commit()
    assert posted.amount == 1234
    assert balance(db, SPENDING) == 1234  # 766 released
    assert balance(db, EARNINGS) == -987  # credits: the expert's 80 %, rounded
    assert balance(db, FEES) == -247
    assert balance(db, HOLDS) == 0
    assert service.get_hold(db_session=db, hold_id=held.id).state == "posted"
    assert check(db_session=db).ok


def test_a_capture_may_be_split_with_tax(db):
    held = hold(db, 1000)
    split = service.session_parts(
        999, expert_id=EXPERT, currency="CHF", fee_percent=Decimal(20), tax_percent=Decimal("8.1")
    )
    assert [part.amount for part in split] == [718, 200, 81]  # 718.281, 199.8, 80.919
    service.post(db_session=db, idempotency_key="p", hold_id=held.id, parts=split, now=NOW)
    assert balance(db, accounts.platform_tax("CHF")) == -81


def test_void_releases_the_whole_hold_and_a_hold_resolves_once(db):
    held = hold(db, 500)
    service.void(db_session=db, idempotency_key="v-1", hold_id=held.id, now=NOW)
    assert balance(db, SPENDING) == 0
    with pytest.raises(errors.HoldAlreadyResolved, match="already voided") as refused:
        service.post(
            db_session=db, idempotency_key="p-1", hold_id=held.id, parts=parts(100), now=NOW
        )
    assert refused.value.code == "pending_transfer_already_resolved"
    with pytest.raises(errors.HoldAlreadyResolved):
        service.void(db_session=db, idempotency_key="v-2", hold_id=held.id, now=NOW)


def test_a_second_post_is_refused_unless_it_repeats_the_first(db):
    held = hold(db, 500)
    first = service.post(
        db_session=db, idempotency_key="p-1", hold_id=held.id, parts=parts(300), now=NOW
    )
    again = service.post(
        db_session=db, idempotency_key="p-1", hold_id=held.id, parts=parts(300), now=NOW
    )
    assert again.id == first.id
    with pytest.raises(errors.HoldAlreadyResolved, match="already posted"):
        service.post(
            db_session=db, idempotency_key="p-2", hold_id=held.id, parts=parts(300), now=NOW
        )
    assert balance(db, SPENDING) == 300


def test_a_reused_key_with_other_content_is_refused(db):
    held = hold(db, 500)
    before = stored(db)
    with pytest.raises(errors.IdempotencyConflict) as refused:
        hold(db, 600)  # same key h-1, another amount
    assert refused.value.status_code == 409
    assert refused.value.code == "idempotency_key_reused"
    with pytest.raises(errors.IdempotencyConflict):
        service.void(db_session=db, idempotency_key="h-1", hold_id=held.id, now=NOW)
    assert stored(db) == before
    assert hold(db, 500).id == held.id  # the same content answers the first result


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100"])
def test_an_amount_that_is_not_a_positive_whole_number_is_refused(db, amount):
    with pytest.raises(errors.InvalidAmount):
        hold(db, amount)
    assert stored(db) == (0, 0)


@pytest.mark.parametrize("currency", ["chf", "XYZ", "EURO", ""])
def test_an_unknown_currency_is_refused(db, currency):
    with pytest.raises(errors.InvalidCurrency):
        hold(db, 100, currency=currency)
    assert stored(db) == (0, 0)


def test_a_part_in_another_currency_is_refused_and_the_hold_stays_open(db):
    held = hold(db, 500)
    db.commit()
    with pytest.raises(errors.CurrencyMismatch):
        service.post(
            db_session=db, idempotency_key="p", hold_id=held.id, parts=parts(100, "EUR"), now=NOW
        )
    db.rollback()
    assert service.get_hold(db_session=db, hold_id=held.id).state == "pending"


def test_a_capture_above_the_hold_is_refused(db):
    held = hold(db, 500)
    with pytest.raises(errors.ExceedsHold) as refused:
        service.post(db_session=db, idempotency_key="p", hold_id=held.id, parts=parts(501), now=NOW)
    assert refused.value.code == "exceeds_pending_transfer_amount"
    assert service.get_hold(db_session=db, hold_id=held.id).state == "pending"


def test_bad_parts_are_refused(db):
    held = hold(db, 500)
    for bad in ([], [Part(EARNINGS, 0)], [Part(SPENDING, 100)], [Part("nobody:1", 100)]):
        with pytest.raises(errors.LedgerError):
            service.post(db_session=db, idempotency_key="p", hold_id=held.id, parts=bad, now=NOW)


def test_an_expired_hold_can_never_be_posted_and_the_job_releases_it(db):
    held = hold(db, 500)
    later = NOW + HOUR
    with pytest.raises(errors.HoldExpired):
        service.post(
            db_session=db, idempotency_key="p", hold_id=held.id, parts=parts(100), now=later
        )
    assert service.expire_holds(db_session=db, now=NOW + HOUR - timedelta(seconds=1)) == []
    released = service.expire_holds(db_session=db, now=later)
    assert [transfer.hold_id for transfer in released] == [held.id]
    assert service.expire_holds(db_session=db, now=later) == []
    db.commit()
    assert service.get_hold(db_session=db, hold_id=held.id).state == "expired"
    assert balance(db, SPENDING) == 0
    with pytest.raises(errors.HoldAlreadyResolved, match="already expired"):
        service.post(db_session=db, idempotency_key="p", hold_id=held.id, parts=parts(100), now=NOW)


def test_the_spending_limit_counts_holds_when_they_are_made(db):
    first = hold(db, 3000, "h-1", limit=5000)
    with pytest.raises(errors.SpendingLimitExceeded) as refused:
        hold(db, 2001, "h-2", limit=5000)
    assert refused.value.status_code == 402
    hold(db, 2000, "h-2", limit=5000)
    service.post(db_session=db, idempotency_key="p", hold_id=first.id, parts=parts(1000), now=NOW)
    hold(db, 2000, "h-3", limit=5000)  # 1000 captured + 2000 + 2000
    with pytest.raises(errors.SpendingLimitExceeded):
        hold(db, 1, "h-4", limit=5000)
    # Another customer has their own limit; last month's holds do not count.
    hold(db, 5000, "h-5", limit=5000, customer=43)
    assert hold(db, 5000, "h-6", limit=5000, customer=44, now=MONTH - HOUR)
    hold(db, 5000, "h-7", limit=5000, customer=44)


def test_refunds_never_exceed_the_capture(db):
    held = hold(db, 1000)
    posted = service.post(
        db_session=db, idempotency_key="p", hold_id=held.id, parts=parts(999), now=NOW
    )

    def refund(amount, key):
        return service.refund(
            db_session=db,
            idempotency_key=key,
            posted_id=posted.id,
            amount=amount,
            reason="Connection dropped",
            actor_staff_id=1,
            now=NOW,
        )

    first = refund(333, "r-1")
    assert first.reverses_id == posted.id and first.actor_staff_id == 1
    assert balance(db, SPENDING) == 666
    with pytest.raises(errors.ExceedsCapture) as refused:
        refund(667, "r-2")
    assert refused.value.code == "exceeds_captured_amount"
    refund(666, "r-2")
    assert balance(db, SPENDING) == 0
    assert balance(db, EARNINGS) == 0 and balance(db, FEES) == 0  # every part given back
    with pytest.raises(errors.ExceedsCapture):
        refund(1, "r-3")
    assert refund(333, "r-1").id == first.id  # a repeat, not a third refund
    with pytest.raises(errors.UnknownTransfer):
        service.refund(
            db_session=db,
            idempotency_key="r-4",
            posted_id=held.id,
            amount=1,
            reason="x",
            actor_staff_id=1,
            now=NOW,
        )
    with pytest.raises(errors.LedgerError, match="reason"):
        service.refund(
            db_session=db,
            idempotency_key="r-5",
            posted_id=posted.id,
            amount=1,
            reason=" ",
            actor_staff_id=1,
            now=NOW,
        )
    assert check(db_session=db).ok


def test_small_refunds_take_from_each_part_without_ever_overdrawing_one(db):
    held = hold(db, 10)
    posted = service.post(
        db_session=db,
        idempotency_key="p",
        hold_id=held.id,
        parts=[Part(EARNINGS, 1), Part(FEES, 1)],
        now=NOW,
    )
    for number in (1, 2):
        service.refund(
            db_session=db,
            idempotency_key=f"r-{number}",
            posted_id=posted.id,
            amount=1,
            reason="goodwill",
            actor_staff_id=1,
            now=NOW,
        )
    assert balance(db, EARNINGS) == 0 and balance(db, FEES) == 0


def test_keys_of_the_ledger_itself_are_refused(db):
    with pytest.raises(errors.LedgerError, match="ledger's"):
        hold(db, 100, "ledger:expire:1")
    with pytest.raises(errors.LedgerError):
        hold(db, 100, "")


@pytest.fixture
def known(db):
    """Every account a post touches made beforehand, as after a customer's and an
    expert's first session: a post then goes in one conditional UPDATE and two INSERTs."""
    for code in (SPENDING, EARNINGS, FEES, HOLDS, accounts.platform_tax("CHF")):
        accounts.get_or_create(db_session=db, code=code, now=NOW)
    accounts.get_or_create(db_session=db, code=accounts.expert_earnings(EXPERT, "EUR"), now=NOW)
    db.commit()
    return db


def statements_of(db, action):
    """What `action()` returned and the SQL statements it sent."""
    sent = []

    def count(_connection, _cursor, statement, *_):
        sent.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        return action(), sent
    finally:
        event.remove(engine, "before_cursor_execute", count)


def entries_of(db, transfer_id):
    return [
        (entry.account_id, entry.debit, entry.amount)
        for entry in db.scalars(
            select(Entry).where(Entry.transfer_id == transfer_id).order_by(Entry.id)
        )
    ]


def test_a_post_on_known_accounts_is_three_statements_and_writes_what_it_always_wrote(known):
    db = known
    split = service.session_parts(
        999, expert_id=EXPERT, currency="CHF", fee_percent=Decimal(20), tax_percent=Decimal("8.1")
    )
    held = hold(db, 1000)
    in_session = service.get_hold(db_session=db, hold_id=held.id)
    assert in_session.state == "pending"
    posted, sent = statements_of(
        db,
        lambda: service.post(
            db_session=db, idempotency_key="p", hold_id=held.id, parts=split, now=NOW
        ),
    )
    assert len(sent) == 3, sent  # the hold, the transfer, its entries
    assert in_session.state == "posted"  # the session's copy of the hold says so at once
    assert (posted.kind, posted.amount, posted.hold_id) == ("post", 999, held.id)
    assert service.get_transfer(db_session=db, transfer_id=posted.id) is posted
    ids = {
        code: accounts.find(db_session=db, code=code).id
        for code in (SPENDING, EARNINGS, FEES, HOLDS, accounts.platform_tax("CHF"))
    }
    expected = [
        (ids[HOLDS], True, 1000),
        (ids[SPENDING], False, 1),  # the released rest of the hold
        (ids[EARNINGS], False, 718),
        (ids[FEES], False, 200),
        (ids[accounts.platform_tax("CHF")], False, 81),
    ]
    assert entries_of(db, posted.id) == expected
    kept, sent = statements_of(
        db, lambda: [(e.account_id, e.debit, e.amount) for e in posted.entries]
    )
    assert kept == expected and sent == []  # the post kept what it wrote
    db.commit()
    again = service.post(db_session=db, idempotency_key="p", hold_id=held.id, parts=split, now=NOW)
    assert again.id == posted.id
    assert check(db_session=db).ok


@pytest.mark.parametrize(
    ("refusal", "error"),
    [
        ("above the hold", errors.ExceedsHold),
        ("expired", errors.HoldExpired),
        ("resolved", errors.HoldAlreadyResolved),
        ("another currency", errors.CurrencyMismatch),
        ("the customer's spending", errors.SplitMismatch),
        ("the holds account", errors.SplitMismatch),
        ("key used", errors.IdempotencyConflict),
        ("no hold", errors.UnknownTransfer),
    ],
)
def test_a_post_on_known_accounts_is_refused_as_ever_and_stores_nothing(known, refusal, error):
    db = known
    held = hold(db, 500)
    other = hold(db, 500, "h-2")
    service.void(db_session=db, idempotency_key="v-2", hold_id=other.id, now=NOW)
    db.commit()
    hold_id, key, now, split = held.id, "p", NOW, parts(100)
    if refusal == "above the hold":
        split = parts(501)
    elif refusal == "expired":
        now = NOW + HOUR
    elif refusal == "resolved":
        hold_id = other.id
    elif refusal == "another currency":
        split = [Part(accounts.expert_earnings(EXPERT, "EUR"), 100)]
    elif refusal == "the customer's spending":
        split = [Part(SPENDING, 100)]
    elif refusal == "the holds account":
        split = [Part(HOLDS, 100)]
    elif refusal == "key used":
        key = "h-2"
    elif refusal == "no hold":
        hold_id = held.id + 1000
    before = stored(db)
    with pytest.raises(error):
        service.post(db_session=db, idempotency_key=key, hold_id=hold_id, parts=split, now=now)
    assert stored(db) == before
    assert service.get_hold(db_session=db, hold_id=held.id).state == "pending"
    db.rollback()
    assert service.get_hold(db_session=db, hold_id=held.id).state == "pending"
    assert check(db_session=db).ok
