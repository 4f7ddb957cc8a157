"""Consent across the channels: a request goes to the device, the customer's answer and
revocation come back (each only for a consent made to that very device, the rule
`OWN_CONSENT`), every portal tab hears `consent.updated` (the customer page redraws its
record), and the expiry round closes what nobody answered and grants whose time is up.

A domain that works under a consent (the report, later the screen view) hears when one of
its kind closes by registering a hook in its `live_kinds.register`:

    kinds.on_consent_closed("screen_view", close_streams)   # hook(live, closed)
    kinds.on_consent_granted("screen_view", open_stream)    # hook(live, consent, connection)

so it can stop what it relays at once (close a relay stream, drop a waiting report), and
start it on the customer's grant, from the device's socket that granted it.

These are the socket handlers and jobs of consent, called only by the channels, the
expiry round and the portal's routes: each owns its unit of work and commits its database
step here (`consent.service` flushes and never commits).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import service
from agent_portal.consent.models import ConsentRequest
from agent_portal.consent.service import Closed
from agent_portal.customers.models import Device
from agent_portal.realtime import presence
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.hub import STAFF_ALL, LiveServices, device_channel
from isp_common.consent_wire import ConsentClosedFrame, ConsentRequestFrame, EndReason

log = logging.getLogger(__name__)


class DeviceUnavailable(Exception):
    """The device is unknown, or not online to be asked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" | "offline"


def updated_event(consent_id: str, kind: str, device_id: str, customer_id: int, status: str):
    return {
        "type": "consent.updated",
        "consent_id": consent_id,
        "kind": kind,
        "device_id": device_id,
        "customer_id": customer_id,
        "status": status,
    }


def askable_device(*, db_session: Session, device_id: str, now) -> Device:
    """The device, when it can be asked now; DeviceUnavailable otherwise."""
    device = db_session.get(Device, device_id)
    if device is None or device.customer.is_erased:
        raise DeviceUnavailable("unknown")
    if not presence.device_online(db_session=db_session, device_id=device_id, now=now):
        raise DeviceUnavailable("offline")
    return device


async def announce(live: LiveServices, consent: ConsentRequest | Closed) -> None:
    """Every portal tab hears that the consent changed."""
    consent_id = consent.id if isinstance(consent, ConsentRequest) else consent.consent_id
    await live.publish(
        STAFF_ALL,
        updated_event(
            consent_id, consent.kind, consent.device_id, consent.customer_id, consent.status
        ),
    )


async def announce_closed(live: LiveServices, closed: list[Closed], *, except_id=None) -> None:
    """Tells the device (all but `except_id`, which it closed itself), every portal tab and
    the kind's domain that these consents are over."""
    for item in closed:
        log.info("consent %s (%s) %s %s", item.consent_id, item.kind, item.status, item.reason)
        if item.consent_id != except_id:
            await live.publish(
                device_channel(item.device_id),
                ConsentClosedFrame(
                    consent_id=item.consent_id,
                    kind=item.kind,
                    status=item.status,
                    reason=item.reason,
                ),
            )
        for hook in live.messages.consent_closed_hooks.get(item.kind, ()):
            try:
                await hook(live, item)
            except Exception:  # one domain's hook must not keep the others from hearing
                log.exception("consent %s: the %s hook failed", item.consent_id, item.kind)
        await announce(live, item)


def _ask(*, db_session: Session, device_id: str, staff_id: int, now, on_asked=None, **request):
    device = askable_device(db_session=db_session, device_id=device_id, now=now)
    staff = db_session.get(StaffMember, staff_id)
    consent = service.ask(db_session=db_session, device=device, staff=staff, now=now, **request)
    if on_asked is not None:
        on_asked(db_session=db_session, consent=consent)
    db_session.commit()
    return consent, request_frame(consent, staff.role)


async def request_consent(
    live: LiveServices,
    *,
    kind: str,
    device_id: str,
    staff_id: int,
    reason: str = "",
    scope: dict | None = None,
    lasts: timedelta | None = None,
    parent_id: str | None = None,
    answer_within: timedelta | None = None,
    on_asked=None,
) -> ConsentRequest:
    """Asks the device's customer with `consent.request`, the same frame for every kind; the
    request. The customer has `answer_within` to answer (by default the setting
    `consent_timeout_seconds`). `on_asked(db_session=, consent=)`, when given, stores what
    the asking domain keeps beside the request, in the same transaction. DeviceUnavailable
    when the device cannot be asked, ConsentRefused for a request that cannot be made
    (among others, by this asker's role)."""
    if answer_within is None:
        answer_within = timedelta(seconds=live.settings.consent_timeout_seconds)
    consent, frame = await live.run_db(
        _ask,
        on_asked=on_asked,
        kind=kind,
        device_id=device_id,
        staff_id=staff_id,
        now=live.now(),
        answer_within=answer_within,
        lasts=lasts,
        reason=reason,
        scope=scope,
        parent_id=parent_id,
    )
    log.info("consent %s (%s) asked of device %s by %s", consent.id, kind, device_id, staff_id)
    await live.publish(device_channel(device_id), frame)
    await announce(live, consent)
    return consent


def request_frame(consent: ConsentRequest, requester_role: str) -> ConsentRequestFrame:
    return ConsentRequestFrame(
        consent_id=consent.id,
        kind=consent.kind,
        requester_name=consent.requested_by_name,
        requester_role=requester_role,
        reason=consent.reason,
        scope=consent.scope,
        answer_by=consent.answer_by,
        lasts_seconds=consent.lasts_seconds,
        parent_id=consent.parent_id,
    )


def _committed(*, db_session: Session, function, **kwargs):
    result = function(db_session=db_session, **kwargs)
    db_session.commit()
    return result


async def _write(live: LiveServices, function, **kwargs):
    """`function(db_session=, now=, **kwargs)` in the database thread, committed."""
    return await live.run_db(_committed, function=function, now=live.now(), **kwargs)


async def on_answer(session: DeviceSession, message) -> None:
    consent = await _write(
        session.live,
        service.answer,
        consent_id=message.consent_id,
        device_id=session.device.id,
        granted=message.granted,
        choice=message.choice,
        reason=message.reason,
    )
    log.info(
        "consent %s (%s) %s by the customer%s",
        consent.id,
        consent.kind,
        consent.status,
        f" ({message.reason})" if message.reason else "",
    )
    await announce(session.live, consent)
    if consent.status == "granted":
        for hook in session.live.messages.consent_granted_hooks.get(consent.kind, ()):
            try:
                await hook(session.live, consent, session.connection.id)
            except Exception:  # the grant stands; the kind's domain logs what it missed
                log.exception("consent %s: the %s grant hook failed", consent.id, consent.kind)


async def on_revoke(session: DeviceSession, message) -> None:
    closed = await _write(
        session.live,
        service.revoke,
        consent_id=message.consent_id,
        device_id=session.device.id,
    )
    await announce_closed(session.live, closed, except_id=message.consent_id)


async def end_consent(
    live: LiveServices, *, consent_id: str, reason: EndReason, actor: Actor
) -> list[Closed]:
    """Ends an open consent (its purpose done, or the asker withdraws it) and tells everyone."""
    closed = await _write(live, service.end, consent_id=consent_id, reason=reason, actor=actor)
    await announce_closed(live, closed)
    return closed


async def expire_overdue(live: LiveServices) -> None:
    """The expiry round (a singleton job): no answer in time is a refusal; a grant whose
    time is up ends."""
    closed = await _write(live, service.expire_overdue)
    await announce_closed(live, closed)


def _own_consent(*, db_session: Session, sender, message) -> None:
    service.own(db_session=db_session, consent_id=message.consent_id, device_id=sender.id)


OWN_CONSENT = Relation("own consent request", _own_consent)
DEVICE_KINDS = {
    "consent.answer": device_kind(on_answer, relation=OWN_CONSENT),
    "consent.revoke": device_kind(on_revoke, relation=OWN_CONSENT),
}
