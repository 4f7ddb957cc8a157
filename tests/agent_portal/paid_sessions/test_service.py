"""Paid sessions on the database itself, both databases: the customer confirms a proposal
with a maximum the ledger holds, the meter bills by the rule while both sides are here, it
warns at 80 % and stops at the maximum, a side gone beyond the grace period pauses it
unbilled, the end posts the charge across the holds with the fee split and releases the
rest, the expert waives, the customer tips; each command is idempotent and refusals
store nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from agent_portal.audit.models import AuditEntry
from agent_portal.ledger import accounts
from agent_portal.ledger import service as ledger
from agent_portal.ledger.models import Hold
from agent_portal.paid_sessions import errors, service
from agent_portal.paid_sessions.models import PaidSession, PaidSessionCommand
from agent_portal.realtime import presence
from tests.agent_portal.paid_sessions.support import CONFIG, T0, make_parties


def seconds(n):
    return T0 + timedelta(seconds=n)


def balance(world, code) -> int:
    with world.session() as db_session:
        return accounts.balance(db_session=db_session, code=code)


@pytest.fixture
def parties(world):
    return make_parties(world)


def started(parties, maximum=3000, now=T0, terms="per_minute", config=CONFIG):
    proposed = parties.run(
        "propose",
        sender=parties.as_expert,
        conversation_id=parties.conversation_id,
        terms=terms,
        now=now,
        config=config,
    )
    parties.run("confirm", session_id=proposed.session.id, maximum=maximum, now=now, config=config)
    return proposed.session.id


def test_a_metered_session_bills_to_the_second_and_splits_the_charge(parties, world):
    session_id = started(parties, maximum=3000)
    ticked = parties.tick(seconds(90))
    assert ticked[0].meter.billed_seconds == 90
    assert ticked[0].meter.amount == 225  # 1.50 a minute, 90 seconds
    assert ticked[0].meter.remaining == 2775
    done = parties.run("end", session_id=session_id, now=seconds(100))
    ended = parties.session(session_id)
    assert (ended.status, ended.billed_seconds, ended.amount, ended.charged) == (
        "ended",
        100,
        250,
        250,
    )
    assert done.ack.meter.status == "ended"
    customer = accounts.customer_spending(parties.customer.id, "CHF")
    assert balance(world, customer) == 250  # the rest of the 30.00 hold released
    assert balance(world, accounts.expert_earnings(parties.expert.id, "CHF")) == -200
    assert balance(world, accounts.platform_fees("CHF")) == -50
    with world.session() as db_session:
        summary = service.summary(db_session=db_session, session=ended, config=CONFIG)
    assert (summary.minutes, summary.split.expert, summary.split.platform_fee) == (2, 200, 50)
    assert parties.ledger_clean()
    events = [row.event for row in world.rows(AuditEntry, order=AuditEntry.id)]
    assert [e for e in events if e.startswith("paid_session")] == [
        "paid_session_proposed",
        "paid_session_started",
        "paid_session_ended",
    ]


def test_each_started_minute_in_full_when_so_set(parties):
    rule = replace(CONFIG, billing_rule="started_minute")
    session_id = started(parties, config=rule)
    assert parties.tick(seconds(61), config=rule)[0].meter.amount == 300
    parties.run("end", session_id=session_id, now=seconds(61), config=rule)
    assert parties.session(session_id).amount == 300


def test_the_meter_warns_at_80_percent_and_stops_at_the_maximum(parties, world):
    session_id = started(parties, maximum=300)  # two minutes at 1.50
    assert not parties.tick(seconds(90))[0].warned
    warned = parties.tick(seconds(100))[0]  # 250 of 300
    assert warned.warned and warned.meter.warning
    assert not parties.tick(seconds(101))[0].warned  # once per maximum
    stopped = parties.tick(seconds(500))[0]  # a late tick bills no more than the maximum
    assert stopped.meter.status == "paused" and stopped.meter.paused_reason == "maximum"
    assert (stopped.meter.billed_seconds, stopped.meter.amount) == (120, 300)
    with pytest.raises(errors.MaximumReached):
        parties.run("resume", session_id=session_id, now=seconds(510))
    parties.run("raise_maximum", session_id=session_id, amount=300, now=seconds(520))
    assert parties.session(session_id).status == "running"  # raised: it runs on
    assert parties.tick(seconds(580))[0].meter.amount == 450
    parties.run("end", session_id=session_id, now=seconds(580))
    assert parties.session(session_id).charged == 450
    # Two holds, each posted: 300 of the first, 150 of the second.
    with world.session() as db_session:
        holds = service.holds_of(db_session=db_session, session_id=session_id)
        assert [db_session.get(Hold, h.hold_transfer_id).state for h in holds] == [
            "posted",
            "posted",
        ]
    assert parties.ledger_clean()


def test_a_pause_bills_nothing_and_only_the_customer_resumes(parties):
    session_id = started(parties)
    parties.run("pause", sender=parties.as_expert, session_id=session_id, now=seconds(60))
    assert parties.tick(seconds(600)) == []  # paused sessions are not ticked
    with pytest.raises(errors.NotYourStep):
        parties.run("resume", sender=parties.as_expert, session_id=session_id, now=seconds(600))
    parties.run("request_resume", sender=parties.as_expert, session_id=session_id, now=seconds(600))
    assert parties.session(session_id).resume_requested
    parties.run("resume", session_id=session_id, now=seconds(900))
    parties.run("end", sender=parties.as_expert, session_id=session_id, now=seconds(930))
    assert parties.session(session_id).billed_seconds == 90


def test_a_side_gone_beyond_the_grace_period_pauses_without_billing_the_gap(parties):
    session_id = started(parties)
    parties.tick(seconds(20))
    parties.disconnect("customer", now=seconds(25))
    parties.tick(seconds(30))  # gone, within the grace period: still running
    assert parties.session(session_id).status == "running"
    paused = parties.tick(seconds(70))[0]
    assert paused.meter.status == "paused" and paused.meter.paused_reason == "disconnected"
    assert paused.meter.billed_seconds == 20  # the last moment both were seen
    parties.connect("customer", now=seconds(100))
    parties.run("resume", session_id=session_id, now=seconds(100))
    parties.run("end", session_id=session_id, now=seconds(160))
    assert parties.session(session_id).billed_seconds == 80


def test_a_side_whose_worker_died_is_billed_only_until_its_socket_was_last_seen(parties, world):
    """The customer's socket was on a worker that died at 40 s: its row is no longer
    marked seen, though presence still counts it for 45 s. The meter pauses as of the
    last time it was marked (40 s), not as of the last tick that counted it (85 s)."""
    session_id = started(parties)
    with world.session() as db_session:  # the customer's socket moves to another worker
        presence.close_connection(
            db_session=db_session, connection_id=parties._connection("customer"), now=T0
        )
        presence.open_connection(
            db_session=db_session,
            connection_id="dying-worker-socket",
            worker_id="dying-worker",
            now=T0,
            device_id=parties.device_id,
        )
        db_session.commit()
    for second in range(0, 41, 10):  # that worker marks its sockets until it dies
        with world.session() as db_session:
            presence.refresh_worker(
                db_session=db_session, worker_id="dying-worker", now=seconds(second)
            )
            db_session.commit()
        parties.tick(seconds(second))
    for second in range(45, 100, 5):
        parties.tick(seconds(second))
    meter = parties.session(session_id)
    assert (meter.status, meter.paused_reason) == ("paused", "disconnected")
    assert meter.billed_seconds == 40


def test_a_short_drop_within_the_grace_period_is_billed_on(parties):
    session_id = started(parties)
    parties.tick(seconds(10))
    parties.disconnect("expert", now=seconds(12))
    parties.tick(seconds(20))
    parties.connect("expert", now=seconds(25))
    parties.tick(seconds(30))
    parties.run("end", session_id=session_id, now=seconds(60))
    assert parties.session(session_id).billed_seconds == 60


def test_a_meter_that_stopped_running_pauses_as_of_its_last_tick(parties):
    """The server was down: the rows of its sockets still look alive for a while, but the
    meter only bills what it watched (a tick every 5 s: a gap of more than 12.5 s, half
    the meter's lease of five rounds, is an outage)."""
    watched = replace(CONFIG, unwatched_seconds=service.unwatched_after(5))
    assert watched.unwatched_seconds == 12.5
    session_id = started(parties, config=watched)
    parties.tick(seconds(5), config=watched)
    parties.tick(seconds(10), config=watched)  # the last tick before the server died
    paused = parties.tick(seconds(40), config=watched)[0]  # the restarted server's first
    assert (paused.meter.status, paused.meter.paused_reason) == ("paused", "disconnected")
    assert paused.meter.billed_seconds == 10
    # A command before the first tick after an outage bills no more either.
    parties.run("resume", session_id=session_id, now=seconds(50), config=watched)
    parties.tick(seconds(55), config=watched)
    parties.run("end", session_id=session_id, now=seconds(90), config=watched)  # unwatched
    assert parties.session(session_id).billed_seconds == 15
    assert parties.ledger_clean()


def test_a_fixed_price_holds_the_price_and_charges_it_with_a_waiver(parties, world):
    session_id = started(parties, maximum=9000, terms="fixed")
    assert parties.session(session_id).maximum == 5000
    with pytest.raises(errors.NotYourStep):
        parties.run("end", session_id=session_id, now=seconds(600), waive=100)
    with pytest.raises(errors.WaiverTooHigh):
        parties.run(
            "end", sender=parties.as_expert, session_id=session_id, now=seconds(600), waive=5001
        )
    parties.run(
        "end", sender=parties.as_expert, session_id=session_id, now=seconds(600), waive=1000
    )
    ended = parties.session(session_id)
    assert (ended.amount, ended.waived, ended.charged, ended.ended_by) == (
        5000,
        1000,
        4000,
        "expert",
    )
    assert balance(world, accounts.customer_spending(parties.customer.id, "CHF")) == 4000
    assert parties.ledger_clean()


def test_a_full_waiver_charges_nothing(parties, world):
    session_id = started(parties)
    parties.run("end", sender=parties.as_expert, session_id=session_id, now=seconds(60), waive=150)
    ended = parties.session(session_id)
    assert ended.charged == 0 and ended.capture_transfer_id is None
    assert balance(world, accounts.customer_spending(parties.customer.id, "CHF")) == 0
    assert parties.ledger_clean()


def test_the_tip_goes_to_the_expert_whole_once(parties, world):
    session_id = started(parties)
    with pytest.raises(errors.WrongState):
        parties.run("tip", session_id=session_id, amount=200, now=seconds(30))
    parties.run("end", session_id=session_id, now=seconds(60))
    parties.run("tip", session_id=session_id, amount=200, now=seconds(70))
    with pytest.raises(errors.AlreadyTipped):
        parties.run("tip", session_id=session_id, amount=100, now=seconds(80))
    assert parties.session(session_id).tip == 200
    assert balance(world, accounts.expert_earnings(parties.expert.id, "CHF")) == -(120 + 200)
    with world.session() as db_session:
        summary = service.summary(
            db_session=db_session, session=parties.session(session_id), config=CONFIG
        )
    assert (summary.charged, summary.tip, summary.total) == (150, 200, 350)
    assert parties.ledger_clean()


def test_the_monthly_spending_limit_refuses_a_maximum_above_what_is_left(parties, world):
    limited = replace(CONFIG, monthly_limit=2000)
    proposed = parties.run(
        "propose",
        sender=parties.as_expert,
        conversation_id=parties.conversation_id,
        now=T0,
        config=limited,
    )
    with pytest.raises(errors.SpendingLimitReached) as refused:
        parties.run("confirm", session_id=proposed.session.id, maximum=2500, now=T0, config=limited)
    assert "20,00" in refused.value.in_language("de") or "20.00" in refused.value.in_language("de")
    assert parties.session(proposed.session.id).status == "proposed"  # nothing stored
    assert world.count(Hold) == 0
    parties.run("confirm", session_id=proposed.session.id, maximum=2000, now=T0, config=limited)
    assert parties.session(proposed.session.id).status == "running"


def test_the_customers_own_limit_comes_before_the_setting(world):
    parties = make_parties(world)
    with world.session() as db_session:
        customer = db_session.get(type(parties.customer), parties.customer.id)
        customer.monthly_spending_limit = 100
        db_session.commit()
    proposed = parties.run(
        "propose", conversation_id=parties.conversation_id, now=T0, config=CONFIG
    )
    assert proposed.session.proposed_by == "customer"
    with pytest.raises(errors.SpendingLimitReached):
        parties.run("confirm", session_id=proposed.session.id, maximum=150, now=T0)


def test_a_repeated_command_answers_the_first_result_and_other_content_is_refused(parties, world):
    proposed = parties.run(
        "propose", conversation_id=parties.conversation_id, now=T0, command_id="p-1"
    )
    first = parties.run(
        "confirm", session_id=proposed.session.id, maximum=900, now=T0, command_id="c-1"
    )
    again = parties.run(
        "confirm", session_id=proposed.session.id, maximum=900, now=seconds(50), command_id="c-1"
    )
    assert again.repeat and again.ack == first.ack
    assert world.count(Hold) == 1
    with pytest.raises(errors.CommandIdReused) as refused:
        parties.run(
            "confirm", session_id=proposed.session.id, maximum=1000, now=T0, command_id="c-1"
        )
    assert refused.value.status_code == 409 and refused.value.code == "command_id_reused"
    # The expert's command ids are their own: the same id from them is a new command.
    parties.run(
        "pause",
        sender=parties.as_expert,
        session_id=proposed.session.id,
        now=seconds(10),
        command_id="c-1",
    )
    assert world.count(PaidSessionCommand) == 3


@pytest.mark.parametrize(
    ("step", "error"),
    [
        ("confirm by the expert", errors.NotYourStep),
        ("maximum below a minute", errors.MaximumTooLow),
        ("a second proposal", errors.SessionAlreadyOpen),
        ("someone else's session", errors.SessionNotFound),
        ("pause before start", errors.WrongState),
    ],
)
def test_refusals_store_nothing(parties, world, step, error):
    proposed = parties.run("propose", conversation_id=parties.conversation_id, now=T0)
    session_id = proposed.session.id
    before = world.count(PaidSessionCommand)
    stranger = service.Sender("customer", parties.customer.id + 1000)
    calls = {
        "confirm by the expert": lambda: parties.run(
            "confirm", sender=parties.as_expert, session_id=session_id, maximum=900, now=T0
        ),
        "maximum below a minute": lambda: parties.run(
            "confirm", session_id=session_id, maximum=149, now=T0
        ),
        "a second proposal": lambda: parties.run(
            "propose", conversation_id=parties.conversation_id, now=T0
        ),
        "someone else's session": lambda: parties.run(
            "confirm", sender=stranger, session_id=session_id, maximum=900, now=T0
        ),
        "pause before start": lambda: parties.run("pause", session_id=session_id, now=T0),
    }
    with pytest.raises(error):
        calls[step]()
    assert world.count(PaidSessionCommand) == before
    assert world.count(Hold) == 0
    assert parties.session(session_id).status == "proposed"


def test_a_declined_proposal_is_over(parties):
    proposed = parties.run("propose", conversation_id=parties.conversation_id, now=T0)
    parties.run("cancel", session_id=proposed.session.id, now=seconds(5))
    assert parties.session(proposed.session.id).status == "cancelled"
    with pytest.raises(errors.WrongState) as refused:
        parties.run("confirm", session_id=proposed.session.id, maximum=900, now=seconds(6))
    assert "abgebrochen" in refused.value.in_language("de")


def test_no_session_where_the_sender_is_not_a_party_or_there_is_no_price(world):
    parties = make_parties(world, price_per_session=None)
    with pytest.raises(errors.ConversationNotPaid):  # no such conversation
        parties.run("propose", conversation_id=parties.conversation_id + 99, now=T0)
    with pytest.raises(errors.ConversationNotPaid):  # the expert offers no fixed price
        parties.run("propose", conversation_id=parties.conversation_id, terms="fixed", now=T0)
    assert world.count(PaidSession) == 0
    with pytest.raises(errors.ConversationNotPaid):  # not this staff member's chat
        parties.run(
            "propose",
            sender=service.Sender("expert", parties.expert.id + 50),
            conversation_id=parties.conversation_id,
            now=T0,
        )


def test_the_period_is_the_calendar_month_in_the_portals_time_zone():
    from datetime import UTC, datetime

    # 1 December 00:30 in Berlin is still November in UTC.
    start = service.period_start(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "Europe/Berlin")
    assert start == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)


def appointment(world, parties, *, terms, status="accepted", price=None, per_minute=None):
    from agent_portal.appointments.models import Appointment

    with world.session() as db_session:
        row = Appointment(
            uid=f"a-{terms}-{status}@test",
            conversation_id=parties.conversation_id,
            expert_staff_id=parties.expert.id,
            customer_id=parties.customer.id,
            starts_at=T0,
            duration_minutes=30,
            time_zone="Europe/Zurich",
            terms=terms,
            price=price,
            price_per_minute=per_minute,
            currency="EUR",
            status=status,
            created_at=T0,
        )
        db_session.add(row)
        db_session.commit()
        return row.id


def test_an_accepted_appointments_terms_are_the_sessions(parties, world):
    free = appointment(world, parties, terms="free")
    waiting = appointment(world, parties, terms="fixed", status="proposed", price=4000)
    for refused in (free, waiting):
        with pytest.raises(errors.ConversationNotPaid):
            parties.run(
                "propose",
                conversation_id=parties.conversation_id,
                appointment_id=refused,
                now=T0,
            )
    agreed = appointment(world, parties, terms="fixed", price=4000)
    proposed = parties.run(
        "propose",
        sender=parties.as_expert,
        conversation_id=parties.conversation_id,
        appointment_id=agreed,
        now=T0,
    )
    session = proposed.session
    assert (session.terms, session.price, session.currency, session.appointment_id) == (
        "fixed",
        4000,
        "EUR",
        agreed,
    )
    parties.run("confirm", session_id=session.id, maximum=4000, now=T0)
    parties.run("end", session_id=session.id, now=seconds(1800))
    assert parties.session(session.id).charged == 4000
    assert balance(world, accounts.customer_spending(parties.customer.id, "EUR")) == 4000
    assert parties.ledger_clean()


def test_ticks_at_any_cadence_bill_the_same_time(world):
    """Billed time comes from stored timestamps: a tick repeated (two workers at once) or
    ticks every second bill what a single late tick bills."""
    parties = make_parties(world)
    session_id = started(parties, maximum=6000)
    for second in range(1, 61):
        parties.tick(seconds(second))
        parties.tick(seconds(second))  # the same tick in a second worker
    often = parties.session(session_id)
    assert (often.billed_seconds, often.amount) == (60, 150)
    parties.run("end", session_id=session_id, now=seconds(90))
    assert parties.session(session_id).billed_seconds == 90


def test_a_session_paused_overnight_outlasts_its_hold_and_is_charged_in_the_morning(parties, world):
    """Holds last 24 hours; the expert pauses for the night and the meter's round renews
    the hold six hours before it would lapse: the old one released, a new one of the same
    amount held, the customer's maximum and spending unchanged; the morning's minutes are
    charged on the new hold."""
    session_id = started(parties, maximum=3000)
    parties.run("pause", sender=parties.as_expert, session_id=session_id, now=seconds(60))
    customer = accounts.customer_spending(parties.customer.id, "CHF")
    assert balance(world, customer) == 3000  # held

    parties.tick(T0 + timedelta(hours=17))  # seven hours left: not yet
    parties.tick(T0 + timedelta(hours=19))  # five hours left: renewed
    with world.session() as db_session:
        old, new = service.holds_of(db_session=db_session, session_id=session_id)
        assert (old.renewed_at, new.renewed_at) == (T0 + timedelta(hours=19), None)
        assert db_session.get(Hold, old.hold_transfer_id).state == "voided"
        renewed = db_session.get(Hold, new.hold_transfer_id)
        assert (renewed.state, renewed.amount) == ("pending", 3000)
        assert renewed.expires_at == T0 + timedelta(hours=43)
    assert balance(world, customer) == 3000
    assert parties.session(session_id).maximum == 3000
    parties.tick(T0 + timedelta(hours=20))  # renewed once, not at every round
    with world.session() as db_session:
        assert len(service.holds_of(db_session=db_session, session_id=session_id)) == 2

    # The next morning, past the first hold's lifetime: resumed, 60 more seconds, ended.
    morning = T0 + timedelta(hours=26)
    parties.run("request_resume", sender=parties.as_expert, session_id=session_id, now=morning)
    parties.run("resume", session_id=session_id, now=morning)
    parties.run("end", session_id=session_id, now=morning + timedelta(seconds=60))
    assert parties.session(session_id).charged == 300  # two minutes at 1.50
    assert balance(world, customer) == 300
    assert parties.ledger_clean()
    events = [row.event for row in world.rows(AuditEntry, order=AuditEntry.id)]
    assert events.count("paid_session_hold_renewed") == 1


def test_a_hold_that_lapsed_while_the_server_was_down_is_renewed_at_the_end(parties, world):
    """Nothing renewed the hold in time (the server was down for a day): the ledger's
    expiry released it. Ending the session holds the amount anew and charges it."""
    session_id = started(parties, maximum=3000)
    parties.run("pause", sender=parties.as_expert, session_id=session_id, now=seconds(90))
    with world.session() as db_session:
        ledger.expire_holds(db_session=db_session, now=T0 + timedelta(hours=25))
        db_session.commit()
    customer = accounts.customer_spending(parties.customer.id, "CHF")
    assert balance(world, customer) == 0  # released by the expiry

    parties.run("end", session_id=session_id, now=T0 + timedelta(hours=25, minutes=1))
    assert parties.session(session_id).charged == 225
    assert balance(world, customer) == 225
    assert parties.ledger_clean()
