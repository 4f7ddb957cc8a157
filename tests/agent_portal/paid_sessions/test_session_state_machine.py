"""Random sequences of what both sides and the clock do to paid sessions (propose, confirm
with a maximum, time passing, the meter's tick, pause, request and confirm a resume,
raise the maximum, a side dropping and coming back, end with or without a waiver, tip,
repeat a command, reuse a command_id for something else, holds lapsing: the ledger's
expiry job) run against the service on both databases and against a plain model of the
billing rule written here. Holds last half an hour here, so sessions outlast them: the
meter's round renews a hold a quarter of its lifetime before it lapses, or after it
lapsed. After every step:

- no session bills above the sum of its live holds (a renewed hold is replaced, not
  added), and the customer's spending is exactly what the model holds for them;
- what the meter billed is the model's time (only while running with both sides here;
  a side gone past the grace period stops it as of the last moment both were seen), and
  each ended session's captures add up to the rule's amount for that time less the waiver;
- `ledger-check` finds nothing wrong;
- a repeated command answers its first result and changes nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from agent_portal.ledger import accounts
from agent_portal.ledger import service as ledger
from agent_portal.ledger.models import Transfer
from agent_portal.paid_sessions import billing, errors, service
from agent_portal.paid_sessions.models import PaidSession
from tests.agent_portal.paid_sessions.support import CONFIG, T0, make_parties
from tests.support.hypothesis_budget import examples, steps

RUNS = itertools.count(1)
GRACE = 30
LIMIT = 20_000
PRICE, FIXED = 150, 5000
HOLD_LIFETIME = timedelta(minutes=30)
RENEWED_BEFORE = HOLD_LIFETIME / 4  # `paid_sessions.renewal.renewal_margin`


@dataclass
class ModelHold:
    amount: int
    expires_at: object
    lapsed: bool = False  # the ledger's expiry job released it before a renewal


@dataclass
class Model:
    """A session as the billing rule says it must be."""

    id: int
    terms: str
    price: int
    rule: str
    status: str = "proposed"
    maximum: int = 0
    banked: int = 0
    run_start: object = None
    both_seen: object = None
    gone: object = None
    at_max_pause: bool = False
    holds: list = field(default_factory=list)

    def cap(self) -> int:
        return billing.cap_seconds(self.rule, self.price, self.maximum)

    def seconds(self, now) -> int:
        total = self.banked
        if self.status == "running":
            total += int((now - self.run_start).total_seconds())
        return min(total, self.cap()) if self.terms == "per_minute" else total

    def amount(self, now) -> int:
        if self.terms == "fixed":
            return self.price
        return billing.amount_for(self.rule, self.price, self.seconds(now))

    def stop(self, until) -> None:
        self.banked = self.seconds(until)
        self.status, self.run_start, self.gone = "paused", None, None

    def settle(self, now) -> None:
        if self.status != "running":
            return
        if self.gone is not None and (now - self.gone).total_seconds() > GRACE:
            self.stop(max(self.gone, self.run_start))
            return
        if self.terms == "per_minute" and self.seconds(now) >= self.cap():
            self.stop(now)
            self.at_max_pause = True

    def run(self, now) -> None:
        self.status, self.run_start, self.both_seen, self.gone = "running", now, now, None
        self.at_max_pause = False


class SessionRules(RuleBasedStateMachine):
    world = None  # set on the class by the test, for each database
    rule_name = "second"

    def __init__(self) -> None:
        super().__init__()
        run = next(RUNS)
        self.config = replace(
            CONFIG,
            billing_rule=self.rule_name,
            monthly_limit=LIMIT,
            grace_seconds=GRACE,
            hold_hours=HOLD_LIFETIME.total_seconds() / 3600,
        )
        self.parties = make_parties(self.world, run=run * 10 + len(self.rule_name))
        self.now = T0
        self.here = {"customer": True, "expert": True}
        self.model: Model | None = None
        self.ended: list[Model] = []
        self.held = 0  # what the model says counts against the limit
        self.last: tuple | None = None  # the last command that succeeded, for a repeat
        self.ids = (f"c{number}" for number in itertools.count())

    # --- helpers ---------------------------------------------------------------------

    def send(self, command, sender="customer", expect=None, **kwargs):
        who = self.parties.as_customer if sender == "customer" else self.parties.as_expert
        command_id = next(self.ids)
        if expect is not None:
            with pytest.raises(expect):
                self.parties.run(
                    command,
                    sender=who,
                    command_id=command_id,
                    now=self.now,
                    config=self.config,
                    **kwargs,
                )
            return None
        done = self.parties.run(
            command, sender=who, command_id=command_id, now=self.now, config=self.config, **kwargs
        )
        self.last = (command, who, command_id, kwargs, done.ack)
        return done

    def settled(self) -> Model:
        """The session as a command sees it: settled as of now (stopped at the maximum, or
        where both sides were last seen). A refused command stores nothing, so a rule keeps
        this settling only when its command succeeds; until then the next tick settles."""
        model = replace(self.model)
        model.settle(self.now)
        return model

    def active(self, *statuses) -> bool:
        return self.model is not None and self.model.status in statuses

    def hold(self, amount) -> bool:
        """Whether a hold of `amount` fits the month's limit (and count it if so)."""
        if self.held + amount > LIMIT:
            return False
        self.held += amount
        return True

    def renew(self, model: Model, due) -> None:
        """Each of the session's holds that `due` picks is replaced by a new one; a lapsed
        hold's money is held again (the monthly limit is not asked: it is the same money)."""
        for index, hold in enumerate(model.holds):
            if due(hold):
                self.held += hold.amount if hold.lapsed else 0
                model.holds[index] = ModelHold(hold.amount, self.now + HOLD_LIFETIME)

    # --- rules -----------------------------------------------------------------------

    @precondition(lambda self: not self.active("proposed", "running", "paused"))
    @rule(
        terms=st.sampled_from(["per_minute", "fixed"]), by=st.sampled_from(["customer", "expert"])
    )
    def propose(self, terms, by):
        done = self.send("propose", by, conversation_id=self.parties.conversation_id, terms=terms)
        price = PRICE if terms == "per_minute" else FIXED
        self.model = Model(done.session.id, terms, price, self.rule_name)

    @precondition(lambda self: self.active("proposed"))
    @rule(maximum=st.integers(min_value=100, max_value=12_000))
    def confirm(self, maximum):
        model = self.model
        held = model.price if model.terms == "fixed" else maximum
        if maximum < model.price:
            self.send("confirm", expect=errors.MaximumTooLow, session_id=model.id, maximum=maximum)
        elif not self.hold(held):
            self.send(
                "confirm", expect=errors.SpendingLimitReached, session_id=model.id, maximum=maximum
            )
        else:
            self.send("confirm", session_id=model.id, maximum=maximum)
            model.maximum = held
            model.holds = [ModelHold(held, self.now + HOLD_LIFETIME)]
            model.run(self.now)

    @precondition(lambda self: self.active("proposed"))
    @rule()
    def decline(self):
        self.send("cancel", session_id=self.model.id)
        self.model = None

    @rule(
        seconds=st.one_of(
            st.integers(min_value=1, max_value=400),
            st.sampled_from([25 * 60, 40 * 60]),  # near a hold's end, or past it
        )
    )
    def wait(self, seconds):
        self.now += timedelta(seconds=seconds)

    @rule()
    def tick(self):
        model = self.model
        if self.active("running", "paused"):
            self.renew(model, lambda hold: hold.expires_at <= self.now + RENEWED_BEFORE)
        if self.active("running"):
            if all(self.here.values()):
                model.both_seen, model.gone = self.now, None
            elif model.gone is None:
                model.gone = max(model.both_seen, model.run_start)
            model.settle(self.now)
        self.parties.tick(self.now, config=self.config)

    @rule(side=st.sampled_from(["customer", "expert"]))
    def drop_or_return(self, side):
        if self.here[side]:
            self.parties.disconnect(side, now=self.now)
        else:
            self.parties.connect(side, now=self.now)
        self.here[side] = not self.here[side]

    @precondition(lambda self: self.active("running"))
    @rule(by=st.sampled_from(["customer", "expert"]))
    def pause(self, by):
        model = self.settled()
        if model.status != "running":
            self.send("pause", by, expect=errors.WrongState, session_id=model.id)
            return
        self.send("pause", by, session_id=model.id)
        model.stop(self.now)
        self.model = model

    @precondition(lambda self: self.active("paused"))
    @rule()
    def request_resume(self):
        model = self.model
        if model.terms == "per_minute" and model.banked >= model.cap():
            self.send("request_resume", "expert", expect=errors.MaximumReached, session_id=model.id)
        else:
            self.send("request_resume", "expert", session_id=model.id)

    @precondition(lambda self: self.active("running", "paused"))
    @rule()
    def resume(self):
        model = self.settled()
        if model.status == "running":
            self.send("resume", expect=errors.WrongState, session_id=model.id)
        elif model.terms == "per_minute" and model.banked >= model.cap():
            self.send("resume", expect=errors.MaximumReached, session_id=model.id)
        else:
            self.send("resume", session_id=model.id)
            model.run(self.now)
            self.model = model

    @precondition(lambda self: self.active("running", "paused"))
    @rule(amount=st.integers(min_value=1, max_value=5000))
    def raise_maximum(self, amount):
        model = self.settled()
        if model.terms != "per_minute":
            self.send("raise_maximum", expect=errors.WrongState, session_id=model.id, amount=amount)
        elif not self.hold(amount):
            self.send(
                "raise_maximum",
                expect=errors.SpendingLimitReached,
                session_id=model.id,
                amount=amount,
            )
        else:
            self.send("raise_maximum", session_id=model.id, amount=amount)
            model.maximum += amount
            model.holds.append(ModelHold(amount, self.now + HOLD_LIFETIME))
            if model.status == "paused" and model.at_max_pause:
                model.run(self.now)
            self.model = model

    @precondition(lambda self: self.active("running", "paused"))
    @rule(by=st.sampled_from(["customer", "expert"]), waive=st.sampled_from([0, 0, 50, 100]))
    def end(self, by, waive):
        model = self.model
        model.settle(self.now)
        amount = model.amount(self.now)
        waived = amount * waive // 100 if by == "expert" else 0
        done = self.send("end", by, session_id=model.id, waive=waived)
        # A hold that cannot be posted any more is renewed first, then all are settled.
        self.renew(model, lambda hold: hold.lapsed or hold.expires_at <= self.now)
        assert done.session.billed_seconds == model.seconds(self.now)
        assert done.session.amount == amount
        self.held += amount - waived - model.maximum  # the rest of the holds is released
        model.banked = model.seconds(self.now)
        model.status = "ended"
        self.ended.append(model)
        self.model = None

    @precondition(lambda self: bool(self.ended) and self.ended[-1].status == "ended")
    @rule(amount=st.integers(min_value=1, max_value=3000))
    def tip(self, amount):
        model = self.ended[-1]
        if not self.hold(amount):
            self.send("tip", expect=errors.SpendingLimitReached, session_id=model.id, amount=amount)
            return
        self.send("tip", session_id=model.id, amount=amount)
        model.status = "tipped"

    @rule()
    def holds_lapse(self):
        """The ledger's expiry job: a hold past its time is released, whoever held it."""
        with self.world.session() as db:
            ledger.expire_holds(db_session=db, now=self.now)
            db.commit()
        if self.model is not None:
            for hold in self.model.holds:
                if not hold.lapsed and hold.expires_at <= self.now:
                    hold.lapsed = True
                    self.held -= hold.amount

    @precondition(lambda self: self.last is not None)
    @rule()
    def repeat(self):
        command, who, command_id, kwargs, ack = self.last
        before = self.counts()
        again = self.parties.run(
            command,
            sender=who,
            command_id=command_id,
            now=self.now + timedelta(seconds=7),
            config=self.config,
            **kwargs,
        )
        assert again.repeat and again.ack == ack
        assert self.counts() == before

    @precondition(lambda self: self.last is not None)
    @rule()
    def reuse_id(self):
        command, who, command_id, kwargs, _ack = self.last
        other = {**kwargs, "session_id": 10**6} if "session_id" in kwargs else {}
        if not other:
            other = {**kwargs, "conversation_id": 10**6}
        before = self.counts()
        with pytest.raises(errors.CommandIdReused):
            self.parties.run(
                command,
                sender=who,
                command_id=command_id,
                now=self.now,
                config=self.config,
                **other,
            )
        assert self.counts() == before

    def teardown(self):
        """Ends what this run left open: the meter's tick goes over every open session of
        the database, so runs that leave theirs running would make each later run slower."""
        if self.active("proposed"):
            self.send("cancel", session_id=self.model.id)
        elif self.active("running", "paused"):
            self.send("end", "expert", session_id=self.model.id, waive=0)

    # --- checks ----------------------------------------------------------------------

    def counts(self):
        with self.world.session() as db:
            transfers = db.scalar(select(func.count()).select_from(Transfer))
            rows = db.scalars(
                select(PaidSession).where(PaidSession.customer_id == self.parties.customer.id)
            ).all()
            return transfers, [(r.status, r.maximum, r.amount, r.banked_seconds) for r in rows]

    @invariant()
    def never_above_the_holds_and_captured_as_billed(self):
        with self.world.session() as db:
            sessions = db.scalars(
                select(PaidSession).where(PaidSession.customer_id == self.parties.customer.id)
            ).all()
            held_total = 0
            for session in sessions:
                holds = service.holds_of(db_session=db, session_id=session.id)
                holds = [hold for hold in holds if hold.renewed_at is None]
                held = sum(hold.amount for hold in holds)
                held_total += held + session.tip
                assert session.maximum == held
                if session.terms == "per_minute":
                    assert session.amount <= held
                    shown = service.meter(session, self.now)
                    assert shown.amount <= shown.maximum
                if session.status == "ended":
                    posts = [
                        db.get(Transfer, hold.resolved_transfer_id)
                        for hold in holds
                        if hold.resolved_transfer_id
                    ]
                    captured = sum(t.amount for t in posts if t.kind == "post")
                    if session.terms == "per_minute":
                        rule_amount = billing.amount_for(
                            session.billing_rule, session.price, session.billed_seconds
                        )
                    else:
                        rule_amount = session.price
                    assert session.amount == rule_amount
                    assert captured == session.amount - session.waived <= held
            spent = accounts.balance(
                db_session=db, code=accounts.customer_spending(self.parties.customer.id, "CHF")
            )
            assert spent <= held_total
            assert spent == self.held

    @invariant()
    def the_meter_shows_the_models_time(self):
        if self.model is None:
            return
        session = self.parties.session(self.model.id)
        assert session.status == self.model.status
        shown = service.meter(session, self.now)
        assert shown.billed_seconds == self.model.seconds(self.now)
        assert shown.amount == (self.model.amount(self.now) if session.status != "proposed" else 0)

    @invariant()
    def the_open_sessions_holds_are_the_models(self):
        """Each live hold as the model says: its amount, when it lapses, whether it did."""
        if self.model is None or self.model.status == "proposed":
            return
        with self.world.session() as db:
            live = [
                hold
                for hold in service.holds_of(db_session=db, session_id=self.model.id)
                if hold.renewed_at is None
            ]
            found = sorted(
                (hold.amount, held.expires_at, held.state == "expired")
                for hold in live
                for held in [ledger.get_hold(db_session=db, hold_id=hold.hold_transfer_id)]
            )
        assert found == sorted((h.amount, h.expires_at, h.lapsed) for h in self.model.holds)

    @invariant()
    def the_ledger_is_clean(self):
        assert self.parties.ledger_clean()


@pytest.fixture(params=["second", "started_minute"])
def machine(world, request):
    return type("Rules", (SessionRules,), {"world": world, "rule_name": request.param})


def test_every_sequence_bills_by_the_rule_within_the_holds(machine):
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples(15),
            stateful_step_count=steps(30),
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
