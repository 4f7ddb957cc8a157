"""The payment-provider interface: what any way of paying does for a paid session, each
command with an idempotency key the caller chooses (a repeat answers the first result and
changes nothing), each taking a db session and flushing, never committing.

- `authorise`: hold at most `amount` of the customer's money;
- `capture`: take the sum of `parts` (at most the hold), released the rest;
- `void`: release the whole hold;
- `refund`: give back part of a capture, never more than is left of it.

`IspBillProvider`, the built-in one, is the customer's monthly ISP bill: it is written on
the ledger alone (`agent_portal.ledger.service`) and so works offline; the ISP's back end
learns of its captures and refunds through the billing feed (`service.feed`). How a card
provider (e.g. Stripe's manual capture) would plug in is in `docs/billing.md`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session

from agent_portal.ledger import service as ledger
from agent_portal.ledger.service import Part


@dataclass(frozen=True)
class Result:
    """What a command did: the ledger transfer that records it, and the provider's own
    reference (a card provider's payment intent or refund id; the ISP bill's transfer)."""

    transfer_id: int
    amount: int
    currency: str
    reference: str


class PaymentProvider(Protocol):
    name: str

    def authorise(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        customer_id: int,
        currency: str,
        amount: int,
        now: datetime,
        expires_in: timedelta,
        spending_limit: int | None = None,
        period_start: datetime | None = None,
    ) -> Result: ...

    def capture(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        authorisation_id: int,
        parts: Sequence[Part],
        now: datetime,
    ) -> Result: ...

    def void(
        self, *, db_session: Session, idempotency_key: str, authorisation_id: int, now: datetime
    ) -> Result: ...

    def refund(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        capture_id: int,
        amount: int,
        reason: str,
        actor_staff_id: int,
        now: datetime,
    ) -> Result: ...


class IspBillProvider:
    """The customer's monthly ISP bill: every command is the ledger's, and the ISP books
    what the feed offers. Its refusals are the ledger's (`agent_portal.ledger.errors`)."""

    name = "isp_bill"

    def authorise(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        customer_id: int,
        currency: str,
        amount: int,
        now: datetime,
        expires_in: timedelta,
        spending_limit: int | None = None,
        period_start: datetime | None = None,
    ) -> Result:
        return _result(
            ledger.authorise(
                db_session=db_session,
                idempotency_key=idempotency_key,
                customer_id=customer_id,
                currency=currency,
                amount=amount,
                now=now,
                expires_in=expires_in,
                spending_limit=spending_limit,
                period_start=period_start,
            )
        )

    def capture(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        authorisation_id: int,
        parts: Sequence[Part],
        now: datetime,
    ) -> Result:
        return _result(
            ledger.post(
                db_session=db_session,
                idempotency_key=idempotency_key,
                hold_id=authorisation_id,
                parts=parts,
                now=now,
            )
        )

    def void(
        self, *, db_session: Session, idempotency_key: str, authorisation_id: int, now: datetime
    ) -> Result:
        return _result(
            ledger.void(
                db_session=db_session,
                idempotency_key=idempotency_key,
                hold_id=authorisation_id,
                now=now,
            )
        )

    def refund(
        self,
        *,
        db_session: Session,
        idempotency_key: str,
        capture_id: int,
        amount: int,
        reason: str,
        actor_staff_id: int,
        now: datetime,
    ) -> Result:
        return _result(
            ledger.refund(
                db_session=db_session,
                idempotency_key=idempotency_key,
                posted_id=capture_id,
                amount=amount,
                reason=reason,
                actor_staff_id=actor_staff_id,
                now=now,
            )
        )


def _result(transfer) -> Result:
    return Result(
        transfer_id=transfer.id,
        amount=transfer.amount,
        currency=transfer.currency,
        reference=f"ledger:{transfer.id}",
    )


PROVIDERS: dict[str, PaymentProvider] = {IspBillProvider.name: IspBillProvider()}


def provider(name: str = IspBillProvider.name) -> PaymentProvider:
    return PROVIDERS[name]
