"""Sessions that last longer than a hold: a ledger hold expires after
`PORTAL_LEDGER_HOLD_HOURS`, and an expired hold can never be posted, but a session may run
or stay paused longer (an expert who pauses overnight). Before a session's charge hold
lapses, it is replaced: the old hold is voided and a new one of the same amount authorised,
in one transaction, the way card processors re-authorise. A hold's expiry is never moved:
the ledger stays append-only.

The customer's maximum does not change, and the monthly spending limit is not asked again:
the new hold is the same money, held anew. A hold that lapsed already (the server was down
longer than the margin) is replaced just the same, so the session can still be settled.

    renewed = renew_holds(db_session=db, now=now, config=config)   # [PaidSession]
    ticked = meter_round(db_session=db, now=now, config=config)    # the meter job's round
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.ledger.models import Hold
from agent_portal.paid_sessions import service
from agent_portal.paid_sessions.models import PaidSession, PaidSessionHold


def renewal_margin(config: service.Config) -> timedelta:
    """A hold is replaced once a quarter of its lifetime is left: many job rounds, so a
    busy or briefly stopped server still renews it in time."""
    return timedelta(hours=config.hold_hours) / 4


def due_holds(*, db_session: Session, now: datetime, config: service.Config) -> list[int]:
    """The charge holds of started sessions that lapse within the margin (or have)."""
    return list(
        db_session.scalars(
            select(PaidSessionHold.id)
            .join(PaidSession, PaidSession.id == PaidSessionHold.session_id)
            .join(Hold, Hold.transfer_id == PaidSessionHold.hold_transfer_id)
            .where(
                PaidSession.status.in_(service.STARTED),
                PaidSessionHold.purpose == "charge",
                PaidSessionHold.renewed_at.is_(None),
                PaidSessionHold.resolved_transfer_id.is_(None),
                Hold.expires_at <= now + renewal_margin(config),
            )
            .order_by(PaidSessionHold.session_id, PaidSessionHold.id)
        )
    )


def renew_holds(*, db_session: Session, now: datetime, config: service.Config) -> list[PaidSession]:
    """Replaces each due charge hold by a new one; the sessions whose holds were renewed."""
    renewed: dict[int, PaidSession] = {}
    for hold_id in due_holds(db_session=db_session, now=now, config=config):
        session = _renew(db_session, hold_id, now, config)
        if session is not None:
            renewed[session.id] = session
    return list(renewed.values())


def meter_round(
    *, db_session: Session, now: datetime, config: service.Config
) -> list[service.Ticked]:
    """One round of the meter's job: the holds about to lapse renewed, then every running
    meter brought up to now (`service.tick`)."""
    renew_holds(db_session=db_session, now=now, config=config)
    return service.tick(db_session=db_session, now=now, config=config)


def _renew(
    db_session: Session, hold_id: int, now: datetime, config: service.Config
) -> PaidSession | None:
    old = db_session.get(PaidSessionHold, hold_id)
    session = service.lock_session(db_session, old.session_id)
    db_session.refresh(old)
    # Ended meanwhile (its holds are settled), or renewed by another worker.
    if session.status not in service.STARTED or old.renewed_at or old.resolved_transfer_id:
        return None
    service.renew_hold(db_session, session, old, now, config)
    db_session.flush()
    return session
