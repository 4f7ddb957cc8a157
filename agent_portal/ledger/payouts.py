"""The ledger's payout: an expert's earnings leave the ledger to the provider that pays
them out. One transfer of kind `payout`: debit `expert:<id>:earnings:<CUR>`, credit
`provider:payout:<CUR>`; never more than the earnings hold (`ExceedsEarnings`). Like every
command it carries an idempotency key, flushes and never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.ledger import accounts, writes
from agent_portal.ledger.errors import ExceedsEarnings
from agent_portal.ledger.models import Account, Transfer
from agent_portal.ledger.money import check_amount, check_currency

PAYOUT_PROVIDER = "payout"


def payout(
    *,
    db_session: Session,
    idempotency_key: str,
    expert_id: int | str,
    currency: str,
    amount: int,
    reason: str,
    actor_staff_id: int,
    now: datetime,
) -> Transfer:
    """Moves `amount` of the expert's earnings to `provider:payout:<CUR>`."""
    digest = writes.digest(
        "payout", expert_id=str(expert_id), currency=currency, amount=amount, reason=reason
    )
    if (earlier := writes.replay(db_session, idempotency_key, digest)) is not None:
        return earlier
    check_currency(currency)
    check_amount(amount, what="The payout")
    code = accounts.expert_earnings(expert_id, currency)
    earnings = accounts.get_or_create(db_session=db_session, code=code, now=now)
    # One payout of an expert at a time on PostgreSQL, so two cannot both spend the balance.
    db_session.execute(select(Account.id).where(Account.id == earnings.id).with_for_update())
    available = -accounts.balance(db_session=db_session, code=code)
    if amount > available:
        raise ExceedsEarnings(
            f"Paying out {amount} is more than the expert's earnings of {available}.",
            available=available,
        )
    provider = accounts.get_or_create(
        db_session=db_session, code=accounts.provider(currency, PAYOUT_PROVIDER), now=now
    )
    return writes.write(
        db_session=db_session,
        key=idempotency_key,
        digest=digest,
        kind="payout",
        currency=currency,
        amount=amount,
        now=now,
        entries=[(earnings, True, amount), (provider, False, amount)],
        reason=reason[:500],
        actor_staff_id=actor_staff_id,
    )
