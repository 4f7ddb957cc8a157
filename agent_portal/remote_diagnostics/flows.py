"""Remote diagnostics across the channels. The agent's request is a consent of the kind
report, asked, answered, revoked and closed with consent's frames like every kind
(`consent.flows`: `consent.request`, `consent.answer`, `consent.revoke`,
`consent.closed`). What follows the grant is the report's own: the device sends it
(`diagnostics.report`, only for a request made to that very device, the rule of
`DEVICE_KINDS`), it is stored while the consent is active, the device hears
`diagnostics.received`, and every portal tab hears `consent.updated`. The consent's
expiry round (`consent.flows.expire_overdue`) ends what nobody answered and allowed
requests whose report never came."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from agent_portal.consent import flows as consent_flows
from agent_portal.consent.flows import DeviceUnavailable
from agent_portal.realtime.device_channel import DeviceSession
from agent_portal.realtime.dispatch import Relation, device_kind
from agent_portal.realtime.errors import LiveError
from agent_portal.realtime.hub import LiveServices
from agent_portal.remote_diagnostics import service
from agent_portal.unit_of_work import committed
from isp_common.live_wire import DiagnosticsReceived

log = logging.getLogger(__name__)


async def request_report(live: LiveServices, *, device_id: str, staff_id: int) -> str:
    """Asks the device's customer for a report (a consent of the kind report, every
    category at full depth); the request id. DeviceUnavailable when it cannot be asked."""
    settings = live.settings
    request = await consent_flows.request_consent(
        live,
        kind=service.KIND,
        device_id=device_id,
        staff_id=staff_id,
        scope=service.full_scope(),
        lasts=timedelta(seconds=settings.diagnostics_report_timeout_seconds),
    )
    log.info("diagnostics %s requested from device %s by staff %s", request.id, device_id, staff_id)
    return request.id


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


def _own_request(*, db_session: Session, sender, message) -> None:
    service.check_own_request(
        db_session=db_session, request_id=message.request_id, device_id=sender.id
    )


OWN_REQUEST = Relation("own diagnostics request", _own_request)
DEVICE_KINDS = {
    "diagnostics.report": device_kind(on_report, relation=OWN_REQUEST),
}

__all__ = ["DEVICE_KINDS", "DeviceUnavailable", "LiveError", "request_report"]
