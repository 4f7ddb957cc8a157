"""Remote diagnostics across the channels. The agent's request is a consent of the kind
report: it goes to the device as `diagnostics.request` (the form every assistant
understands), the device's answer and report come back (each only for a request made to
that very device, the rule of `DEVICE_KINDS`), and every portal tab hears
`consent.updated`. The consent's expiry round (`consent.flows.expire_overdue`) ends what
nobody answered and allowed requests whose report never came; `on_report_closed` tells
the device in the report's own words (`diagnostics.closed`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.consent import flows as consent_flows
from agent_portal.consent.flows import DeviceUnavailable, askable_device
from agent_portal.consent.service import Closed
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.errors import LiveError
from agent_portal.realtime.hub import LiveServices, device_channel
from agent_portal.remote_diagnostics import service
from agent_portal.unit_of_work import committed
from isp_common.live_wire import DiagnosticsClosed, DiagnosticsReceived, DiagnosticsRequest

log = logging.getLogger(__name__)


def _create(*, db_session: Session, device_id: str, staff_id: int, now, timeout, report_timeout):
    device = askable_device(db_session=db_session, device_id=device_id, now=now)
    staff = db_session.get(StaffMember, staff_id)
    request = service.create_request(
        db_session=db_session,
        device=device,
        staff=staff,
        now=now,
        timeout=timeout,
        report_timeout=report_timeout,
    )
    message = DiagnosticsRequest(
        request_id=request.id,
        agent_name=staff.name,
        categories=request.scope["categories"],
        include_premium=request.scope["include_premium"],
        expires_at=request.answer_by,
    )
    return request, message


async def request_report(live: LiveServices, *, device_id: str, staff_id: int) -> str:
    """Asks the device; the request id. DeviceUnavailable when it cannot be asked."""
    settings = live.settings
    request, message = await live.run_db(
        committed(_create),
        device_id=device_id,
        staff_id=staff_id,
        now=live.now(),
        timeout=timedelta(seconds=settings.consent_timeout_seconds),
        report_timeout=timedelta(seconds=settings.diagnostics_report_timeout_seconds),
    )
    log.info("diagnostics %s requested from device %s by staff %s", request.id, device_id, staff_id)
    await live.publish(device_channel(device_id), message)
    await consent_flows.announce(live, request)
    return request.id


async def on_answer(session: DeviceSession, message) -> None:
    live = session.live
    request = await live.run_db(
        committed(service.answer),
        request_id=message.request_id,
        device_id=session.device.id,
        allowed=message.allowed,
        now=live.now(),
    )
    log.info("diagnostics %s %s by the customer", request.id, request.status)
    await consent_flows.announce(live, request)


async def on_report(session: DeviceSession, message) -> None:
    live = session.live
    record = await live.run_db(
        committed(service.store_report),
        request_id=message.request_id,
        device_id=session.device.id,
        report=message.report,
        now=live.now(),
    )
    log.info("diagnostics %s: report %s stored", message.request_id, record.id)
    session.reply(DiagnosticsReceived(request_id=message.request_id))
    await consent_flows.announce(live, record.request)


async def on_report_closed(live: LiveServices, closed: Closed) -> None:
    """An assistant that knows only the report's frames hears that its request is over."""
    if closed.status == "timed_out":
        status = "expired"
    elif closed.status == "ended" and closed.reason != "completed":
        status = "failed"
    else:
        return  # the device itself answered, revoked, or delivered
    await live.publish(
        device_channel(closed.device_id),
        DiagnosticsClosed(request_id=closed.consent_id, status=status),
    )


def _own_request(*, db_session: Session, sender, message) -> None:
    service.check_own_request(
        db_session=db_session, request_id=message.request_id, device_id=sender.id
    )


OWN_REQUEST = Relation("own diagnostics request", _own_request)
DEVICE_KINDS = {
    "diagnostics.answer": device_kind(on_answer, relation=OWN_REQUEST),
    "diagnostics.report": device_kind(on_report, relation=OWN_REQUEST),
}

__all__ = ["DEVICE_KINDS", "DeviceUnavailable", "LiveError", "on_report_closed", "request_report"]
