"""Offline codes on the server side: the agent is shown a device's current code to read
out (the assistant checks it without the server), and the device reports each use at its
next connection. Both are audited; a use with no matching show stands out there. How the
codes work and what they protect: docs/offline-unlock.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor, record
from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Device
from agent_portal.devices import service as devices
from agent_portal.devices.errors import OfflineUseOtherDevice
from agent_portal.server_keys import ServerKeys
from agent_portal.unlock_codes.audit_events import Event
from agent_portal.unlock_codes.models import OfflineCode
from isp_common.offline_codes import (
    OfflineCodeIssuer,
    OfflineCodeUse,
    OfflineCodeUseReport,
    format_code,
    time_step,
)


@dataclass(frozen=True)
class ShownCode:
    device: Device
    code: str
    valid_until: datetime

    @property
    def readable(self) -> str:
        return format_code(self.code)


def show(
    *,
    db_session: Session,
    keys: ServerKeys,
    device: Device,
    staff: StaffMember,
    now: datetime,
    issuer: OfflineCodeIssuer | None = None,
) -> ShownCode | None:
    """The device's current offline code, recorded and audited; None when the device has
    no offline secret (it was not linked through the assistant)."""
    secret = devices.offline_secret(db_session=db_session, keys=keys, device=device)
    if secret is None:
        return None
    issuer = issuer or OfflineCodeIssuer()
    step = time_step(now, issuer.interval)
    row = _row(db_session, device.id, step) or OfflineCode(
        customer_id=device.customer_id, device_id=device.id, time_step=step
    )
    row.shown_at = now
    row.shown_by_id = staff.id
    row.shown_by_name = staff.name
    db_session.add(row)
    valid_until = issuer.valid_until(now)
    record(
        db_session=db_session,
        event=Event.OFFLINE_CODE_SHOWN,
        actor=Actor.staff(staff),
        now=now,
        customer=device.customer,
        device_id=device.id,
        device_name=device.name,
        time_step=step,
        valid_until=valid_until,
    )
    db_session.flush()
    return ShownCode(device=device, code=issuer.code_for(secret, now), valid_until=valid_until)


def _row(db_session: Session, device_id: str, step: int) -> OfflineCode | None:
    return db_session.scalar(
        select(OfflineCode).where(OfflineCode.device_id == device_id, OfflineCode.time_step == step)
    )


def record_uses(
    *,
    db_session: Session,
    device: Device,
    report: OfflineCodeUseReport,
    now: datetime,
    address: str | None = None,
) -> tuple[OfflineCodeUse, ...]:
    """Stores the device's reported uses (each once, however often it is reported) and
    returns them as acknowledged. A use of another device refuses the whole report."""
    for use in report.uses:
        if use.device_id != device.id:
            raise OfflineUseOtherDevice(use.device_id)
    for use in report.uses:
        row = _row(db_session, device.id, use.time_step)
        if row is not None and row.reported_at is not None:
            continue  # reported before; the assistant did not hear our answer
        if row is None:
            row = OfflineCode(
                customer_id=device.customer_id, device_id=device.id, time_step=use.time_step
            )
            db_session.add(row)
        row.used_at = use.used_at
        row.reported_at = now
        record(
            db_session=db_session,
            event=Event.OFFLINE_CODE_USED,
            actor=Actor.device(device),
            now=now,
            customer=device.customer,
            device_id=device.id,
            address=address,
            time_step=use.time_step,
            used_at=use.used_at,
            shown_by=row.shown_by_name,
        )
    try:
        db_session.flush()
    except IntegrityError:
        raise UsesStoredMeanwhile() from None
    return report.uses


class UsesStoredMeanwhile(Exception):
    """The same report twice at once: the other request stored it. The caller rolls back
    and acknowledges the uses all the same."""
