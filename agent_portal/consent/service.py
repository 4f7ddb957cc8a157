"""Consent, for every kind: asking, the customer's answer, revocation, the end, the expiry
round, and `require_active`, the check that comes before anything is relayed under a
consent (a report, a screen's frames, an input event). Plain functions on a database
session with `now` given; they flush and leave the commit to the caller. Every step is
recorded in `consent_events` in the same transaction; the status changes only through
`states.move`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import states
from agent_portal.consent.errors import (
    N_,
    ConsentNotActive,
    ConsentNotFound,
    ConsentNotOpen,
    ConsentRefused,
)
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.consent.states import Event
from agent_portal.customers.models import Device
from isp_common.consent_wire import CHOICES, DeclineReason, EndReason

RECORD_LIMIT = 20
REASON_MAX_CHARS = 500


@dataclass(frozen=True)
class Closed:
    """A consent that is over, for the caller to announce (to the device, the portal)."""

    consent_id: str
    kind: str
    device_id: str
    customer_id: int
    status: str
    reason: str | None = None


def _record(
    db_session: Session,
    consent: ConsentRequest,
    event: str,
    actor: Actor,
    now: datetime,
    detail: str | None = None,
) -> None:
    db_session.add(
        ConsentEvent(
            consent_id=consent.id,
            event=event,
            detail=detail,
            actor_kind=actor.kind,
            actor_name=actor.name[:200],
            at=now,
        )
    )


def _closed(consent: ConsentRequest) -> Closed:
    return Closed(
        consent.id,
        consent.kind,
        consent.device_id,
        consent.customer_id,
        consent.status,
        consent.end_reason,
    )


def ask(
    *,
    db_session: Session,
    kind: str,
    device: Device,
    staff: StaffMember,
    now: datetime,
    answer_within: timedelta,
    lasts: timedelta | None,
    reason: str = "",
    scope: dict | None = None,
    parent_id: str | None = None,
) -> ConsentRequest:
    """A new request to the device's customer, waiting for the answer until `now +
    answer_within`; a grant lasts `lasts` (None: until revoked or ended). A kind that
    requires another (control) names it as `parent_id`, and it must be active on the same
    device. ConsentRefused otherwise, also when the asker's role may not ask for the kind
    (`states.ASKERS`)."""
    if kind not in states.KINDS:
        raise ConsentRefused(N_("There is no consent of the kind '%(kind)s'."), kind=kind)
    if staff.role not in states.ASKERS[kind]:
        raise ConsentRefused(
            N_("The role %(role)s may not ask for a %(kind)s."), role=staff.role, kind=kind
        )
    if len(reason) > REASON_MAX_CHARS:
        raise ConsentRefused(
            N_("The reason is longer than %(limit)s characters."), limit=REASON_MAX_CHARS
        )
    _check_parent(db_session, kind, device.id, parent_id, now)
    consent = ConsentRequest(
        id=uuid.uuid4().hex,
        kind=kind,
        customer_id=device.customer_id,
        device_id=device.id,
        requested_by_id=staff.id,
        requested_by_name=staff.name,
        reason=reason,
        scope=dict(scope or {}),
        parent_id=parent_id,
        status=states.INITIAL,
        created_at=now,
        answer_by=now + answer_within,
        lasts_seconds=None if lasts is None else max(1, round(lasts.total_seconds())),
    )
    db_session.add(consent)
    db_session.flush()
    _record(db_session, consent, "asked", Actor.staff(staff), now)
    db_session.flush()
    return consent


def _check_parent(
    db_session: Session, kind: str, device_id: str, parent_id: str | None, now: datetime
) -> None:
    required = states.REQUIRES.get(kind)
    if required is None:
        if parent_id is not None:
            raise ConsentRefused(
                N_("A consent of the kind %(kind)s belongs to no other."), kind=kind
            )
        return
    if parent_id is None:
        raise ConsentRefused(
            N_("A consent of the kind %(kind)s requires an active %(required)s."),
            kind=kind,
            required=required,
        )
    try:
        require_active(
            db_session=db_session, kind=required, consent_id=parent_id, device_id=device_id, now=now
        )
    except (ConsentNotFound, ConsentNotActive) as problem:
        raise ConsentRefused(
            N_("A consent of the kind %(kind)s requires an active %(required)s: %(problem)s"),
            kind=kind,
            required=required,
            problem=problem,
        ) from None


def get(*, db_session: Session, consent_id: str) -> ConsentRequest | None:
    return db_session.get(ConsentRequest, consent_id)


def own(*, db_session: Session, consent_id: str, device_id: str) -> ConsentRequest:
    """The consent asked of this device; ConsentNotFound for another device's, as for one
    that does not exist."""
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None or consent.device_id != device_id:
        raise ConsentNotFound(consent_id)
    return consent


def answer(
    *,
    db_session: Session,
    consent_id: str,
    device_id: str,
    granted: bool,
    now: datetime,
    choice: str | None = None,
    reason: DeclineReason | None = None,
) -> ConsentRequest:
    """The customer's answer, the same checks for every kind: only to a request asked of
    this device (ConsentNotFound otherwise), only while it waits for the answer
    (ConsentNotOpen when it is answered already or over, also when the answer comes after
    the request's time: the expiry round records the time-out). ConsentRefused for a grant
    without the choice its kind needs, after what it requires is over, or with a reason
    (only a refusal has one: `unsupported` when the assistant cannot serve the kind)."""
    consent = own(db_session=db_session, consent_id=consent_id, device_id=device_id)
    status = states.effective_status(consent, now)
    if status != "pending":
        raise ConsentNotOpen(status, consent_id)
    if granted and reason is not None:
        raise ConsentRefused(N_("Only a refusal gives a reason."), consent_id=consent_id)
    if not granted:
        event = states.move(consent, Event.refuse, now=now)
        detail = DeclineReason(reason).value if reason is not None else None
        _record(db_session, consent, event, Actor.device(consent.device), now, detail=detail)
        db_session.flush()
        return consent
    choices = CHOICES.get(consent.kind, ())
    if choices and choice not in choices:
        raise ConsentRefused(
            N_("A grant of %(kind)s says what it shares: one of %(choices)s."),
            consent_id=consent_id,
            kind=consent.kind,
            choices=", ".join(choices),
        )
    if not choices and choice is not None:
        raise ConsentRefused(
            N_("A grant of %(kind)s has no choice."), consent_id=consent_id, kind=consent.kind
        )
    _check_parent(db_session, consent.kind, device_id, consent.parent_id, now)
    event = states.move(consent, Event.grant, now=now)
    if choice is not None:
        consent.scope = {**consent.scope, "choice": choice}
    _record(db_session, consent, event, Actor.device(consent.device), now, detail=choice)
    db_session.flush()
    return consent


def revoke(*, db_session: Session, consent_id: str, device_id: str, now: datetime) -> list[Closed]:
    """The customer stops a granted consent, and with it every consent that requires it.
    ConsentNotOpen when it is not granted (now): a pending one is declined, not revoked."""
    consent = own(db_session=db_session, consent_id=consent_id, device_id=device_id)
    status = states.effective_status(consent, now)
    if status != "granted":
        raise ConsentNotOpen(status, consent_id)
    actor = Actor.device(consent.device)
    event = states.move(consent, Event.revoke, now=now)
    _record(db_session, consent, event, actor, now)
    closed = [_closed(consent), *_end_dependents(db_session, consent, actor, now)]
    db_session.flush()
    return closed


def end(
    *,
    db_session: Session,
    consent_id: str,
    reason: EndReason,
    actor: Actor,
    now: datetime,
) -> list[Closed]:
    """Ends an open consent (what it was for is done, the asker withdraws it), and every
    consent that requires it; what ended. IllegalTransition when it is over already."""
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None:
        raise ConsentNotFound(consent_id)
    return _end(db_session, consent, reason, actor, now)


def _end(
    db_session: Session, consent: ConsentRequest, reason: EndReason, actor: Actor, now: datetime
) -> list[Closed]:
    event = states.move(consent, Event.end, now=now, reason=reason)
    _record(db_session, consent, event, actor, now, detail=reason.value)
    closed = [_closed(consent), *_end_dependents(db_session, consent, actor, now)]
    db_session.flush()
    return closed


def _end_dependents(
    db_session: Session, consent: ConsentRequest, actor: Actor, now: datetime
) -> list[Closed]:
    dependents = db_session.scalars(
        select(ConsentRequest).where(
            ConsentRequest.parent_id == consent.id, ConsentRequest.status.in_(states.OPEN)
        )
    )
    closed: list[Closed] = []
    for dependent in list(dependents):
        closed += _end(db_session, dependent, EndReason.parent_closed, actor, now)
    return closed


def expire_overdue(*, db_session: Session, now: datetime) -> list[Closed]:
    """Requests nobody answered in time have timed out (a refusal); grants past their end
    have ended, with whatever requires them. What closed, for the caller to announce."""
    closed: list[Closed] = []
    unanswered = db_session.scalars(
        select(ConsentRequest).where(
            ConsentRequest.status == "pending", ConsentRequest.answer_by <= now
        )
    )
    for consent in list(unanswered):
        if consent.status == "pending":  # not ended meanwhile with what it requires
            event = states.move(consent, Event.time_out, now=now)
            _record(db_session, consent, event, Actor.system(), now)
            closed.append(_closed(consent))
    overdue = db_session.scalars(
        select(ConsentRequest)
        .where(ConsentRequest.status == "granted", ConsentRequest.expires_at <= now)
        # What others require first, so a control whose view runs out with it ends with
        # the view (parent_closed), however close together they were asked.
        .order_by(ConsentRequest.parent_id.is_not(None), ConsentRequest.created_at)
    )
    for consent in list(overdue):
        if consent.status == "granted":
            closed += _end(db_session, consent, EndReason.expired, Actor.system(), now)
    db_session.flush()
    return closed


def require_active(
    *,
    db_session: Session,
    kind: str,
    consent_id: str,
    now: datetime,
    device_id: str | None = None,
) -> ConsentRequest:
    """The consent, when it is of this kind (made to this device, if given) and granted at
    `now`, and so is what it requires; ConsentNotFound or ConsentNotActive otherwise. Every
    relay calls this before it passes on anything under a consent."""
    consent = db_session.get(ConsentRequest, consent_id)
    if consent is None or consent.kind != kind:
        raise ConsentNotFound(consent_id)
    if device_id is not None and consent.device_id != device_id:
        raise ConsentNotFound(consent_id)
    status = states.effective_status(consent, now)
    if status != "granted":
        raise ConsentNotActive(status, consent_id)
    if consent.parent_id is not None:
        parent = db_session.get(ConsentRequest, consent.parent_id)
        try:
            require_active(
                db_session=db_session,
                kind=parent.kind,
                consent_id=parent.id,
                device_id=consent.device_id,
                now=now,
            )
        except ConsentNotActive:
            raise ConsentNotActive("ended", consent_id) from None
    return consent


def record_for_customer(
    *, db_session: Session, customer_id: int, limit: int = RECORD_LIMIT
) -> list[ConsentRequest]:
    """The customer's consents of every kind, newest first."""
    return list(
        db_session.scalars(
            select(ConsentRequest)
            .where(ConsentRequest.customer_id == customer_id)
            .order_by(ConsentRequest.created_at.desc(), ConsentRequest.id)
            .limit(limit)
        )
    )


def requester_roles(*, db_session: Session, consents: Iterable[ConsentRequest]) -> dict[int, str]:
    """The role of each asker whose account still exists (the customer's record words an
    expert and a hotline agent differently)."""
    ids = {consent.requested_by_id for consent in consents if consent.requested_by_id}
    if not ids:
        return {}
    rows = db_session.execute(
        select(StaffMember.id, StaffMember.role).where(StaffMember.id.in_(ids))
    )
    return {staff_id: role for staff_id, role in rows}


def events_of(*, db_session: Session, consent_ids: Iterable[str]) -> dict[str, list]:
    """Each consent's record, in order."""
    ids = list(consent_ids)
    found: dict[str, list[ConsentEvent]] = {consent_id: [] for consent_id in ids}
    if not ids:
        return found
    rows = db_session.scalars(
        select(ConsentEvent)
        .where(ConsentEvent.consent_id.in_(ids))
        .order_by(ConsentEvent.at, ConsentEvent.id)
    )
    for row in rows:
        found[row.consent_id].append(row)
    return found
