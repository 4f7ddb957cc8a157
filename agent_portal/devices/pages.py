"""The agent's side of linked devices: the "Unlink" button in each device's row of the
customer page. Unlinking frees the device's place within the subscription's limit; the
assistant on that computer stops getting entitlements and has to sign in again. The form
redirects to the customer page, which says once what was unlinked."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from agent_portal.audit.service import Actor
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.customers import service as customers
from agent_portal.customers.pages import (
    CustomerSection,
    customer_path,
    render_customer_page,
    render_not_found,
)
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.devices import flows, service
from agent_portal.i18n import _
from agent_portal.web.flash import N_

router = APIRouter(
    prefix="/portal/customers",
    tags=["portal"],
    dependencies=[require_staff("agent", "admin")],
    include_in_schema=False,
)


def device_section(**_context) -> CustomerSection:
    return CustomerSection(device_actions="devices/_unlink.html")


@router.post("/{account_number}/devices/{device_id}/unlink", dependencies=[csrf_protected()])
def unlink_device(
    request: Request,
    account_number: str,
    device_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    customer = customers.get(db_session=db_session, account_number=account_number)
    if customer is None:
        return render_not_found(request, account_number)
    page = {"db_session": db_session, "settings": settings, "customer": customer}
    device = service.get_device(db_session=db_session, customer=customer, device_id=device_id)
    if device is None:
        error = _("This device is not linked to the customer (any more).")
        return render_customer_page(request, status_code=404, error=error, **page)
    name = device.name
    service.unlink(db_session=db_session, device=device, actor=Actor.staff(staff), now=utcnow())
    db_session.commit()
    flows.tell_unlinked(request.app.state.live, device_id)
    path = customer_path(customer.account_number)
    flash.notice(
        path, N_("“%(name)s” has been unlinked. Its place is free for another device."), name=name
    )
    return flash.redirect(path)
