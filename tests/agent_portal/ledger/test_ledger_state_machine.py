"""Random sequences of what paid sessions and admins do to the ledger (authorise, post
part of a hold, void, let time pass and run the expiry job, refund, repeat a command,
reuse a key for something else), run against the ledger service on both databases and
against a plain reference model written here. Every result matches the model, and after
every step:

- every transfer balances, no hold is resolved twice, nothing is captured above its hold
  and no refund exceeds its capture (`ledger-check`'s own rules);
- each capture's parts are the largest-remainder split of it: expert share + fee + tax =
  the captured amount to the cent;
- what the customer's holds count against the spending limit never passes it, pending
  holds included, and the customer's balance is what the model says;
- a repeated command answers the first result and changes nothing.

Each run has a customer and an expert of its own, so runs need not clean up (the ledger's
rows cannot be deleted).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

from agent_portal.ledger import accounts, errors, service
from agent_portal.ledger.check import check
from agent_portal.ledger.models import Account, Transfer
from agent_portal.ledger.money import fee_split
from tests.support.hypothesis_budget import examples, steps

START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
PERIOD = datetime(2026, 12, 1, tzinfo=UTC)
LASTS = timedelta(hours=1)
LIMIT = 6000
FEE, TAX = Decimal(20), Decimal("8.1")
RUNS = itertools.count(1)


@dataclass
class ExpectedHold:
    id: int
    amount: int
    expires_at: datetime
    state: str = "pending"
    captured: int = 0
    post_id: int | None = None
    refunded: int = 0


class LedgerRules(RuleBasedStateMachine):
    sessions = None  # set on the class by the test, for each database

    def __init__(self) -> None:
        super().__init__()
        run = next(RUNS)
        self.customer = f"sm{run}"
        self.expert = f"sm{run}"
        self.keys = (f"sm{run}-{number}" for number in itertools.count())
        self.now = START
        self.holds: list[ExpectedHold] = []
        self.done: list[tuple[object, int]] = []  # (command, transfer id) that succeeded
        with self.sessions() as db:  # earlier runs' open holds lapse, out of this run's way
            while service.expire_holds(db_session=db, now=START + timedelta(days=365)):
                pass
            db.commit()

    # --- helpers ---------------------------------------------------------------------

    def attempt(self, command, expected: type[errors.LedgerError] | None):
        """Runs `command(db)` in one transaction; a refusal must be the expected one and
        stores nothing."""
        with self.sessions() as db:
            try:
                transfer = command(db)
            except errors.LedgerError as refused:
                db.rollback()
                assert expected is not None, f"refused, though the model allows it: {refused}"
                assert isinstance(refused, expected), (refused, expected)
                return None
            db.commit()
            assert expected is None, f"done, though the model expects {expected.__name__}"
            self.done.append((command, transfer.id))
            return transfer

    def used(self) -> int:
        return sum(
            hold.amount if hold.state == "pending" else hold.captured - hold.refunded
            for hold in self.holds
            if hold.state in ("pending", "posted")
        )

    def pick(self, index: int) -> ExpectedHold | None:
        """Mostly a pending hold; now and then (or when none is) any hold."""
        pending = [hold for hold in self.holds if hold.state == "pending"]
        choices = pending if pending and index % 5 else self.holds
        return choices[index % len(choices)] if choices else None

    # --- rules ------------------------------------------------------------------------

    @rule(amount=st.integers(min_value=1, max_value=3000))
    def authorise(self, amount):
        refused = errors.SpendingLimitExceeded if self.used() + amount > LIMIT else None
        transfer = self.attempt(
            lambda db, key=next(self.keys), now=self.now: service.authorise(
                db_session=db,
                idempotency_key=key,
                customer_id=self.customer,
                currency="CHF",
                amount=amount,
                now=now,
                expires_in=LASTS,
                spending_limit=LIMIT,
                period_start=PERIOD,
            ),
            refused,
        )
        if transfer is not None:
            self.holds.append(ExpectedHold(transfer.id, amount, self.now + LASTS))

    @rule(
        index=st.integers(0, 50),
        percent=st.integers(1, 100),
        whole=st.booleans(),
        over=st.integers(0, 2),
    )
    def post(self, index, percent, whole, over):
        hold = self.pick(index)
        if hold is None:
            return
        # Part of the hold, or all of it, or just above it.
        captured = hold.amount + over if whole else max(1, hold.amount * percent // 100)
        if hold.state != "pending":
            refused = errors.HoldAlreadyResolved
        elif self.now >= hold.expires_at:
            refused = errors.HoldExpired
        elif captured > hold.amount:
            refused = errors.ExceedsHold
        else:
            refused = None
        parts = service.session_parts(
            captured, expert_id=self.expert, currency="CHF", fee_percent=FEE, tax_percent=TAX
        )
        transfer = self.attempt(
            lambda db, key=next(self.keys), now=self.now: service.post(
                db_session=db, idempotency_key=key, hold_id=hold.id, parts=parts, now=now
            ),
            refused,
        )
        if transfer is not None:
            hold.state, hold.captured, hold.post_id = "posted", captured, transfer.id

    @rule(index=st.integers(0, 50))
    def void(self, index):
        hold = self.pick(index)
        if hold is None:
            return
        refused = errors.HoldAlreadyResolved if hold.state != "pending" else None
        if self.attempt(
            lambda db, key=next(self.keys), now=self.now: service.void(
                db_session=db, idempotency_key=key, hold_id=hold.id, now=now
            ),
            refused,
        ):
            hold.state = "voided"

    @rule(minutes=st.sampled_from([10, 45, 61]))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    @rule()
    def the_expiry_job_runs(self):
        with self.sessions() as db:
            released = service.expire_holds(db_session=db, now=self.now)
            db.commit()
        lapsed = [h for h in self.holds if h.state == "pending" and h.expires_at <= self.now]
        ours = {hold.id for hold in self.holds}
        assert sorted(t.hold_id for t in released if t.hold_id in ours) == [h.id for h in lapsed]
        for hold in lapsed:
            hold.state = "expired"

    @rule(index=st.integers(0, 50), amount=st.integers(1, 3000))
    def refund(self, index, amount):
        posted = [hold for hold in self.holds if hold.state == "posted"]
        if not posted:
            return
        hold = posted[index % len(posted)]
        refused = errors.ExceedsCapture if amount > hold.captured - hold.refunded else None
        if self.attempt(
            lambda db, key=next(self.keys), now=self.now: service.refund(
                db_session=db,
                idempotency_key=key,
                posted_id=hold.post_id,
                amount=amount,
                reason="Session cut short",
                actor_staff_id=1,
                now=now,
            ),
            refused,
        ):
            hold.refunded += amount

    @rule(index=st.integers(0, 50))
    def a_command_is_repeated(self, index):
        if not self.done:
            return
        command, first_id = self.done[index % len(self.done)]
        with self.sessions() as db:
            before = db.scalar(select(func.count()).select_from(Transfer))
            again = command(db)
            db.commit()
            assert again.id == first_id, "a repeat did not answer the first result"
            assert db.scalar(select(func.count()).select_from(Transfer)) == before

    @rule(index=st.integers(0, 50))
    def a_key_is_reused_for_something_else(self, index):
        if not self.done:
            return
        _command, first_id = self.done[index % len(self.done)]
        with self.sessions() as db:
            key = db.get(Transfer, first_id).idempotency_key
        self.attempt(
            lambda db: service.authorise(
                db_session=db,
                idempotency_key=key,
                customer_id=self.customer,
                currency="CHF",
                amount=LIMIT + 1,  # no command of this run has this content
                now=self.now,
                expires_in=LASTS,
            ),
            errors.IdempotencyConflict,
        )

    # --- invariants -------------------------------------------------------------------

    @invariant()
    def the_ledger_checks(self):
        with self.sessions() as db:
            report = check(db_session=db)
        assert report.ok, report.problem

    @invariant()
    def holds_balances_and_limit_match_the_model(self):
        code = accounts.customer_spending(self.customer, "CHF")
        with self.sessions() as db:
            for hold in self.holds:
                assert service.get_hold(db_session=db, hold_id=hold.id).state == hold.state
            spending = db.scalar(select(Account).where(Account.code == code))
            if spending is None:
                assert not self.holds
                return
            used = service.spent_in_period(db_session=db, account=spending, period_start=PERIOD)
            assert used == self.used() <= LIMIT
            assert accounts.balance(db_session=db, code=code) == self.used()

    @invariant()
    def every_capture_is_split_to_the_cent(self):
        with self.sessions() as db:
            for hold in self.holds:
                if hold.post_id is None:
                    continue
                post = db.get(Transfer, hold.post_id)
                spending_id = service.get_hold(db_session=db, hold_id=hold.id).account_id
                parts = [
                    entry.amount
                    for entry in post.entries
                    if not entry.debit and entry.account_id != spending_id
                ]
                expected = fee_split(hold.captured, fee_percent=FEE, tax_percent=TAX)
                assert sorted(parts) == sorted(part for part in expected if part)
                assert sum(parts) == post.amount == hold.captured
                left = service.remaining_parts(db_session=db, posted=post, spending_id=spending_id)
                assert sum(left.values()) == hold.captured - hold.refunded


@pytest.fixture
def machine(ledger_sessions):
    return type("Rules", (LedgerRules,), {"sessions": ledger_sessions})


def test_every_sequence_keeps_the_ledger_to_its_rules(machine):
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples(20),
            stateful_step_count=steps(30),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
