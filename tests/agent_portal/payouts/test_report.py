"""A month's payout report of an expert sums what the ledger booked (its net is exactly
what the expert's earnings account gained); an admin marks a finished month paid out once,
by a ledger payout that `ledger-check` accepts; bad months, twice and too early are refused
with their reasons, and nothing is stored then."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from agent_portal.invoices import service as invoices
from agent_portal.ledger import accounts
from agent_portal.ledger import service as ledger
from agent_portal.ledger.check import check
from agent_portal.ledger.errors import ExceedsEarnings
from agent_portal.ledger.models import Transfer
from agent_portal.ledger.payouts import payout
from agent_portal.payouts import service
from agent_portal.payouts.errors import (
    AlreadyPaidOut,
    NothingToPayOut,
    PeriodNotOver,
    UnknownExpert,
    UnknownPeriod,
)
from agent_portal.payouts.models import Payout
from tests.agent_portal.invoices.sessions import ISSUER, ended_session, people
from tests.support.portal_data import create_staff

ZONE = ZoneInfo("Europe/Zurich")
NOVEMBER = service.Period(2026, 11)
IN_NOVEMBER = datetime(2026, 11, 20, 10, tzinfo=UTC)
AFTER = datetime(2026, 12, 2, 9, tzinfo=UTC)


def _month(db_session):
    who = people(db_session)
    admin = create_staff(db_session, "ada.admin", "admin")
    first = ended_session(db_session, who, amount=1500, waived=501, tip=300, ended_at=IN_NOVEMBER)
    ended_session(db_session, who, amount=4000, ended_at=datetime(2026, 11, 3, 8, tzinfo=UTC))
    # Half past eleven on November 30th in Zurich is November's; an hour later, though
    # still November 30th in UTC, is December's.
    ended_session(db_session, who, amount=999, ended_at=datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    ended_session(db_session, who, amount=700, ended_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    ledger.refund(
        db_session=db_session,
        idempotency_key="refund-nov",
        posted_id=first.capture_transfer_id,
        amount=400,
        reason="Abbruch",
        actor_staff_id=admin.id,
        now=datetime(2026, 11, 25, tzinfo=UTC),
    )
    invoices.issue_due(db_session=db_session, now=AFTER, issuer=ISSUER)
    db_session.commit()
    return who, admin


def test_the_report_sums_match_the_ledger(db_session):
    who, _admin = _month(db_session)
    found = service.report(
        db_session=db_session, staff_id=who.expert_staff_id, period=NOVEMBER, zone=ZONE
    )
    (chf,) = found.currencies
    assert chf.sessions == 3
    assert chf.charged == 999 + 4000 + 999
    assert chf.tips == 300
    assert chf.waived == 501
    assert chf.refunded == 400
    assert chf.fee + chf.tax + chf.earned == chf.charged + chf.tips
    assert chf.net == service.earnings_gained(
        db_session=db_session,
        staff_id=who.expert_staff_id,
        currency="CHF",
        period=NOVEMBER,
        zone=ZONE,
    )
    assert chf.net == chf.earned - chf.refunded_expert > 0
    assert all(line.credit_note for line in chf.lines)
    december = service.report(
        db_session=db_session,
        staff_id=who.expert_staff_id,
        period=service.Period(2026, 12),
        zone=ZONE,
    )
    assert [total.charged for total in december.currencies] == [700]


def test_marking_a_month_paid_moves_the_net_once(db_session):
    who, admin = _month(db_session)
    code = accounts.expert_earnings(who.expert_staff_id, "CHF")
    before = accounts.balance(db_session=db_session, code=code)
    (made,) = service.mark_paid(
        db_session=db_session,
        staff_id=who.expert_staff_id,
        period=NOVEMBER,
        zone=ZONE,
        admin_id=admin.id,
        now=AFTER,
    )
    db_session.commit()
    assert accounts.balance(db_session=db_session, code=code) == before + made.amount
    assert accounts.balance(db_session=db_session, code="provider:payout:CHF") == -made.amount
    assert db_session.get(Transfer, made.transfer_id).kind == "payout"
    report = check(db_session=db_session)
    assert report.ok, report.problem
    again = service.report(
        db_session=db_session, staff_id=who.expert_staff_id, period=NOVEMBER, zone=ZONE
    )
    assert again.currencies[0].paid.id == made.id
    with pytest.raises(AlreadyPaidOut) as refused:
        service.mark_paid(
            db_session=db_session,
            staff_id=who.expert_staff_id,
            period=NOVEMBER,
            zone=ZONE,
            admin_id=admin.id,
            now=AFTER,
        )
    assert refused.value.in_language("de") == (
        "Der Verdienst von Anna Berger für 2026-11 wurde bereits ausbezahlt."
    )
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Payout)) == 1


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "November", "", "0999-01", "2026-11-01"])
def test_an_unknown_period_is_refused(text):
    with pytest.raises(UnknownPeriod) as refused:
        service.parse_period(text)
    assert refused.value.status_code == 404
    assert "YYYY-MM" in refused.value.in_language("en")


def test_a_month_not_over_or_without_earnings_is_not_paid_out(db_session):
    who, admin = _month(db_session)
    with pytest.raises(PeriodNotOver):
        service.mark_paid(
            db_session=db_session,
            staff_id=who.expert_staff_id,
            period=service.Period(2026, 12),
            zone=ZONE,
            admin_id=admin.id,
            now=AFTER,
        )
    with pytest.raises(NothingToPayOut):
        service.mark_paid(
            db_session=db_session,
            staff_id=who.expert_staff_id,
            period=service.Period(2026, 10),
            zone=ZONE,
            admin_id=admin.id,
            now=AFTER,
        )
    with pytest.raises(UnknownExpert):
        service.report(db_session=db_session, staff_id=admin.id, period=NOVEMBER, zone=ZONE)
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Payout)) == 0
    assert not db_session.scalar(select(func.count()).where(Transfer.kind == "payout"))


def test_the_ledger_refuses_a_payout_above_the_earnings(db_session):
    who, admin = _month(db_session)
    available = -accounts.balance(
        db_session=db_session, code=accounts.expert_earnings(who.expert_staff_id, "CHF")
    )
    with pytest.raises(ExceedsEarnings):
        payout(
            db_session=db_session,
            idempotency_key="too-much",
            expert_id=who.expert_staff_id,
            currency="CHF",
            amount=available + 1,
            reason="test",
            actor_staff_id=admin.id,
            now=AFTER,
        )
