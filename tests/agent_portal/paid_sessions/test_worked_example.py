"""The worked example of docs/paid-sessions.md, run against the service: the page's
figures are the service's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from agent_portal.ledger import accounts
from agent_portal.paid_sessions import billing, service
from tests.agent_portal.paid_sessions.support import CONFIG, T0, make_parties

DOC = Path(__file__).parents[3] / "docs" / "paid-sessions.md"


def at(seconds):
    return T0 + timedelta(seconds=seconds)


def test_the_worked_example_is_what_the_service_does(world):
    parties = make_parties(world)
    proposed = parties.run("propose", conversation_id=parties.conversation_id, now=T0)
    session_id = proposed.session.id
    parties.run("confirm", session_id=session_id, maximum=300, now=T0)
    assert billing.cap_seconds("second", 150, 300) == 120
    warned = parties.tick(at(100))[0]
    assert warned.meter.amount == 250 and warned.warned
    stopped = parties.tick(at(500))[0].meter
    assert (stopped.status, stopped.billed_seconds, stopped.amount) == ("paused", 120, 300)
    parties.run("raise_maximum", session_id=session_id, amount=300, now=at(500))
    assert billing.cap_seconds("second", 150, 600) == 240
    parties.tick(at(530))
    parties.disconnect("customer", now=at(530))
    paused = parties.tick(at(600))[0].meter
    assert (paused.paused_reason, paused.billed_seconds) == ("disconnected", 150)
    parties.connect("customer", now=at(700))
    parties.run("resume", session_id=session_id, now=at(700))
    parties.run("end", sender=parties.as_expert, session_id=session_id, now=at(710))
    ended = parties.session(session_id)
    assert (ended.billed_seconds, ended.amount, ended.charged) == (160, 400, 400)

    def balance(code):
        with world.session() as db_session:
            return -accounts.balance(db_session=db_session, code=code)

    assert balance(accounts.expert_earnings(parties.expert.id, "CHF")) == 320
    assert balance(accounts.platform_fees("CHF")) == 80
    parties.run("tip", session_id=session_id, amount=100, now=at(720))
    with world.session() as db_session:
        summary = service.summary(
            db_session=db_session, session=parties.session(session_id), config=CONFIG
        )
    assert (summary.minutes, summary.charged, summary.tip, summary.total) == (3, 400, 100, 500)
    assert (summary.split.expert, summary.split.platform_fee) == (320, 80)
    assert billing.amount_for("started_minute", 150, 160) == 450
    assert billing.cap_seconds("started_minute", 150, 300) == 120
    assert parties.ledger_clean()


def test_the_page_states_these_figures():
    text = DOC.read_text(encoding="utf-8")
    for figure in (
        "⌊150 × 100 / 60⌋ = 250",
        "billed 150 s",
        "⌊150 × 160 / 60⌋ = 400",
        "expert 240, fee 60",
        "expert 80, fee 20",
        "CHF 4.50",
        "total CHF 5.00",
    ):
        assert figure in text, figure
