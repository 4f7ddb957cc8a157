"""Socket notices of appointments: `appointment.changed` (proposed, accepted, declined,
cancelled) and `appointment.reminder`, to every linked device of the customer and to the
expert's open portal tabs (`isp_common.appointments_wire.AppointmentNotice`). Read in the
transaction (`targets`), published after it commits (`publish`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.appointments import service
from agent_portal.appointments.models import Appointment
from agent_portal.customers.models import Device
from isp_common.appointments_wire import (
    APPOINTMENT_CHANGED,
    APPOINTMENT_REMINDER,
    AppointmentNotice,
    AppointmentView,
)


@dataclass(frozen=True)
class Targets:
    view: AppointmentView
    device_ids: list[str]
    staff_id: int


def targets(db_session: Session, appointment: Appointment) -> Targets:
    devices = db_session.scalars(
        select(Device.id).where(Device.customer_id == appointment.customer_id)
    ).all()
    return Targets(
        service.view(db_session, appointment), list(devices), appointment.expert_staff_id
    )


async def publish(live, found: Targets, *, reminder: bool = False) -> None:
    from agent_portal.realtime.hub import device_channel, staff_channel

    notice = AppointmentNotice(
        type=APPOINTMENT_REMINDER if reminder else APPOINTMENT_CHANGED, appointment=found.view
    )
    for device_id in found.device_ids:
        await live.publish(device_channel(device_id), notice)
    await live.publish(staff_channel(found.staff_id), notice)
