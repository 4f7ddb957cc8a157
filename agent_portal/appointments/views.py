"""The appointments' JSON API for the assistant:

- `GET /api/v1/appointments` (a linked device): the customer's open proposals and coming
  appointments (`isp_common.appointments_wire.AppointmentList`);
- `POST /api/v1/appointments/{appointment_id}/accept|decline|cancel` (a linked device, its
  own customer's appointment only; another's reads 404): the changed `AppointmentView`.

Each change is told to the other side by socket (`notices`) and, where it says, by e-mail.
The expert's pages are in `pages.py`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from agent_portal.api_errors import refusals
from agent_portal.appointments import notices, service
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices.deps import CurrentDevice, require_device
from agent_portal.params import Id
from isp_common.appointments_wire import APPOINTMENTS_PATH, AppointmentList, AppointmentView

router = APIRouter(tags=["appointments"])
REFUSALS = refusals(
    {404: "No such appointment of this customer", 409: "Already answered or cancelled"}
)


@router.get(APPOINTMENTS_PATH, response_model=AppointmentList, dependencies=[require_device()])
def customer_appointments(db_session: SessionDep, device: CurrentDevice) -> AppointmentList:
    """The customer's proposals awaiting an answer and coming appointments, soonest first."""
    found = service.upcoming(db_session=db_session, customer_id=device.customer_id, now=utcnow())
    return AppointmentList(appointments=[service.view(db_session, a) for a in found])


async def _customer_change(request: Request, change, **arguments) -> AppointmentView:
    live = request.app.state.live

    def work(db_session):
        appointment = change(db_session=db_session, now=live.now(), **arguments)
        found = notices.targets(db_session, appointment)
        db_session.commit()
        return found

    found = await live.run_db(work)
    await notices.publish(live, found)
    return found.view


@router.post(
    APPOINTMENTS_PATH + "/{appointment_id}/accept",
    response_model=AppointmentView,
    dependencies=[require_device()],
    responses=REFUSALS,
)
async def accept(
    request: Request, appointment_id: Id, device: CurrentDevice, settings: SettingsDep
) -> AppointmentView:
    """The customer accepts: both sides get the calendar entry by e-mail."""
    return await _customer_change(
        request,
        service.accept,
        appointment_id=appointment_id,
        customer_id=device.customer_id,
        rules=service.Rules.from_settings(settings),
    )


@router.post(
    APPOINTMENTS_PATH + "/{appointment_id}/decline",
    response_model=AppointmentView,
    dependencies=[require_device()],
    responses=REFUSALS,
)
async def decline(request: Request, appointment_id: Id, device: CurrentDevice) -> AppointmentView:
    return await _customer_change(
        request, service.decline, appointment_id=appointment_id, customer_id=device.customer_id
    )


@router.post(
    APPOINTMENTS_PATH + "/{appointment_id}/cancel",
    response_model=AppointmentView,
    dependencies=[require_device()],
    responses=REFUSALS,
)
async def cancel(
    request: Request, appointment_id: Id, device: CurrentDevice, settings: SettingsDep
) -> AppointmentView:
    """The customer cancels an accepted appointment (the expert is told) or a proposal."""
    return await _customer_change(
        request,
        service.cancel,
        appointment_id=appointment_id,
        customer_id=device.customer_id,
        rules=service.Rules.from_settings(settings),
    )
