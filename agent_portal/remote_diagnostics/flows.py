"""Remote diagnostics across the channels: the agent's request goes to the device, the
device's answer and report come back (each only for a request made to that very device,
the rule of `DEVICE_KINDS`), and every portal tab hears `diagnostics.updated` (the customer
page redraws its diagnostics panel)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Device
from agent_portal.realtime import presence
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.errors import LiveError
from agent_portal.realtime.hub import STAFF_ALL, LiveServices, device_channel
from agent_portal.remote_diagnostics import service
from isp_common.diagnostics.report import Category
from isp_common.live_wire import DiagnosticsClosed, DiagnosticsReceived, DiagnosticsRequest

log = logging.getLogger(__name__)


class DeviceUnavailable(Exception):
    """The device is unknown, or not online to be asked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "unknown" | "offline"


def updated_event(request_id: str, device_id: str, customer_id: int, status: str) -> dict:
    return {
        "type": "diagnostics.updated",
        "request_id": request_id,
        "device_id": device_id,
        "customer_id": customer_id,
        "status": status,
    }


def _create(*, db_session: Session, device_id: str, staff_id: int, now, timeout):
    device = db_session.get(Device, device_id)
    if device is None or device.customer.is_erased:
        raise DeviceUnavailable("unknown")
    if not presence.device_online(db_session=db_session, device_id=device_id, now=now):
        raise DeviceUnavailable("offline")
    staff = db_session.get(StaffMember, staff_id)
    request = service.create_request(
        db_session=db_session, device=device, staff=staff, now=now, timeout=timeout
    )
    message = DiagnosticsRequest(
        request_id=request.id,
        agent_name=staff.name,
        categories=[category.value for category in Category],
        include_premium=True,  # for support the hotline sees the full depth
        expires_at=request.expires_at,
    )
    return request.id, device.customer_id, message


async def request_report(live: LiveServices, *, device_id: str, staff_id: int) -> str:
    """Asks the device; the request id. DeviceUnavailable when it cannot be asked."""
    request_id, customer_id, message = await live.run_db(
        _create,
        device_id=device_id,
        staff_id=staff_id,
        now=live.now(),
        timeout=timedelta(seconds=live.settings.consent_timeout_seconds),
    )
    log.info("diagnostics %s requested from device %s by staff %s", request_id, device_id, staff_id)
    await live.publish(device_channel(device_id), message)
    await live.publish(STAFF_ALL, updated_event(request_id, device_id, customer_id, "pending"))
    return request_id


async def on_answer(session: DeviceSession, message) -> None:
    live = session.live
    request = await live.run_db(
        service.answer,
        request_id=message.request_id,
        device_id=session.device.id,
        allowed=message.allowed,
        now=live.now(),
    )
    log.info("diagnostics %s %s by the customer", request.id, request.status)
    await live.publish(
        STAFF_ALL, updated_event(request.id, request.device_id, request.customer_id, request.status)
    )


async def on_report(session: DeviceSession, message) -> None:
    live = session.live
    record = await live.run_db(
        service.store_report,
        request_id=message.request_id,
        device_id=session.device.id,
        report=message.report,
        now=live.now(),
    )
    log.info("diagnostics %s: report %s stored", message.request_id, record.id)
    session.reply(DiagnosticsReceived(request_id=message.request_id))
    await live.publish(
        STAFF_ALL,
        updated_event(message.request_id, record.device_id, record.customer_id, "completed"),
    )


async def end_overdue(live: LiveServices) -> None:
    ended = await live.run_db(
        service.end_overdue,
        now=live.now(),
        report_timeout=timedelta(seconds=live.settings.diagnostics_report_timeout_seconds),
    )
    for item in ended:
        log.info("diagnostics %s %s", item.request_id, item.status)
        await live.publish(
            device_channel(item.device_id),
            DiagnosticsClosed(request_id=item.request_id, status=item.status),
        )
        await live.publish(
            STAFF_ALL, updated_event(item.request_id, item.device_id, item.customer_id, item.status)
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

__all__ = ["DEVICE_KINDS", "DeviceUnavailable", "LiveError", "end_overdue", "request_report"]
