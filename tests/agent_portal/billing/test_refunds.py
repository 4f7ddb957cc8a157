"""An admin's refund of a session's charge or tip, through the ISP bill's provider (the
ledger): never above what is left of the capture, with a reason; a refused refund stores
nothing. The payment provider's commands are idempotent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from agent_portal.audit.service import Actor
from agent_portal.billing import service
from agent_portal.billing.errors import (
    NothingCaptured,
    PaidSessionNotFound,
    RefundAboveCapture,
    RefundInvalid,
)
from agent_portal.billing.providers import IspBillProvider
from agent_portal.database import utcnow
from agent_portal.ledger import accounts
from agent_portal.ledger import service as ledger
from agent_portal.ledger.models import Transfer
from tests.support import paid_money

ADMIN = Actor("staff", "Ada Admin", 1)


def _refund(db_session, session_id, amount, *, part="charge", reason="Verbindung brach ab"):
    return service.refund(
        db_session=db_session,
        session_id=session_id,
        part=part,
        amount=amount,
        reason=reason,
        actor=ADMIN,
        idempotency_key=uuid.uuid4().hex,
        now=utcnow(),
    )


def _refund_count(db_session) -> int:
    return db_session.scalar(select(func.count()).where(Transfer.kind == "refund"))


@pytest.fixture
def session_id(sessions, people) -> int:
    with sessions() as db_session:
        paid = paid_money.ended_session(
            db_session,
            customer_id=people.customer_id,
            expert=people.expert,
            amount=1000,
            waived=200,
            tip=500,
        )
        db_session.commit()
        return paid.id


def test_refunds_up_to_what_was_captured_and_not_a_cent_more(sessions, session_id):
    with sessions() as db_session:
        _refund(db_session, session_id, 300)
        db_session.commit()
    with sessions() as db_session:
        with pytest.raises(RefundAboveCapture) as refused:
            _refund(db_session, session_id, 501)
        assert refused.value.in_language("en") == (
            "A refund of CHF\xa05.01 is more than is left of what was captured (CHF\xa05.00); "
            "nothing was refunded."
        )
        assert "5,01" in refused.value.in_language("de")
        db_session.rollback()
        _refund(db_session, session_id, 500)
        db_session.commit()
    with sessions() as db_session:
        money = service.session_detail(db_session=db_session, session_id=session_id)
        assert (money.captured, money.refunded, money.refundable_charge) == (800, 800, 0)
        assert money.refundable_tip == 500, "the tip is refunded on its own"
        with pytest.raises(RefundAboveCapture):
            _refund(db_session, session_id, 1)
        assert _refund_count(db_session) == 2


def test_the_fee_given_back_follows_the_refund(sessions, session_id):
    with sessions() as db_session:
        before = service.session_detail(db_session=db_session, session_id=session_id)
        assert before.fee == 160 + 100  # 20 % of the charge of 8.00 and of the tip of 5.00
        _refund(db_session, session_id, 400)
        db_session.commit()
        after = service.session_detail(db_session=db_session, session_id=session_id)
        assert after.fee == 80 + 100


@pytest.mark.parametrize(
    ("text", "minor"),
    [("12.50", 1250), ("12,50", 1250), ("12", 1200), ("1.234,50", 123450), (" 0.01 ", 1)],
)
def test_amounts_are_read_as_people_type_them(text, minor):
    assert service.parse_amount(text, "CHF") == minor


@pytest.mark.parametrize("text", ["", "abc", "-5", "0", "0.001", "1e3x", "NaN", "inf", "9" * 30])
def test_an_amount_that_is_no_money_is_refused(text):
    with pytest.raises(RefundInvalid):
        service.parse_amount(text, "CHF")


def test_a_refund_without_a_reason_or_of_what_was_not_captured_is_refused(
    sessions, people, session_id
):
    with sessions() as db_session:
        with pytest.raises(RefundInvalid) as refused:
            _refund(db_session, session_id, 100, reason="   ")
        assert "reason" in refused.value.in_language("en")
        with pytest.raises(RefundInvalid):
            _refund(db_session, session_id, 100, part="everything")
        with pytest.raises(PaidSessionNotFound):
            _refund(db_session, 999_999, 100)
        waived = paid_money.ended_session(
            db_session, customer_id=people.customer_id, expert=people.expert, amount=300, waived=300
        )
        with pytest.raises(NothingCaptured) as nothing:
            _refund(db_session, waived.id, 100)
        assert nothing.value.in_language("en") == "This session has no captured charge to refund."
        assert _refund_count(db_session) == 0


def test_the_isp_bill_provider_is_the_ledger_and_repeats_nothing(sessions, people):
    isp_bill = IspBillProvider()
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with sessions() as db_session:
        held = isp_bill.authorise(
            db_session=db_session,
            idempotency_key="hold-1",
            customer_id=people.customer_id,
            currency="EUR",
            amount=2000,
            now=now,
            expires_in=timedelta(hours=24),
        )
        parts = ledger.session_parts(
            1500, expert_id=people.expert.staff_id, currency="EUR", fee_percent=20
        )
        captured = isp_bill.capture(
            db_session=db_session,
            idempotency_key="capture-1",
            authorisation_id=held.transfer_id,
            parts=parts,
            now=now,
        )
        again = isp_bill.capture(
            db_session=db_session,
            idempotency_key="capture-1",
            authorisation_id=held.transfer_id,
            parts=parts,
            now=now,
        )
        assert again == captured and captured.amount == 1500
        refunded = isp_bill.refund(
            db_session=db_session,
            idempotency_key="refund-1",
            capture_id=captured.transfer_id,
            amount=500,
            reason="Doppelt berechnet",
            actor_staff_id=people.expert.staff_id,
            now=now,
        )
        assert refunded.amount == 500 and refunded.reference == f"ledger:{refunded.transfer_id}"
        spending = accounts.customer_spending(people.customer_id, "EUR")
        assert accounts.balance(db_session=db_session, code=spending) == 1000

        other = isp_bill.authorise(
            db_session=db_session,
            idempotency_key="hold-2",
            customer_id=people.customer_id,
            currency="EUR",
            amount=700,
            now=now,
            expires_in=timedelta(hours=24),
        )
        isp_bill.void(
            db_session=db_session,
            idempotency_key="void-2",
            authorisation_id=other.transfer_id,
            now=now,
        )
        assert accounts.balance(db_session=db_session, code=spending) == 1000


def test_the_same_refund_sent_again_is_the_first_even_when_nothing_is_left(sessions, session_id):
    def send(db_session):
        return service.refund(
            db_session=db_session,
            session_id=session_id,
            part="charge",
            amount=800,
            reason="Alles zurück",
            actor=ADMIN,
            idempotency_key="form-1",
            now=utcnow(),
        )

    with sessions() as db_session:
        first = send(db_session)
        db_session.commit()
    with sessions() as db_session:
        assert send(db_session).id == first.id
        db_session.commit()
        assert _refund_count(db_session) == 1
