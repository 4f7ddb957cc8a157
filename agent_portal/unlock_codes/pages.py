"""The agent's side of unlock codes, on the customer page:

- "Issue unlock code": a new one-time code, shown in two groups ("1234 5678");
- the customer's recent codes with their status, and "Revoke" for open ones;
- "Offline code" in a linked device's row: the device's current offline code, for a
  customer whose internet is down.

Each is a form post (CSRF-protected) that redirects to the customer page. The agent reads
a code out on the phone, so a reload must not lose it, nor make another one: the code goes
into the flash of the agent's own portal session (sealed; never into a URL, never readable
by colleagues) and the page shows it on every load until it is used, revoked or expired
(an offline code: until its time step ends). The database itself keeps only a keyed hash.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.auth.errors import N_
from agent_portal.config import PortalSettings
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer
from agent_portal.customers.pages import (
    CustomerSection,
    customer_path,
    render_customer_page,
    render_not_found,
)
from agent_portal.database import utcnow
from agent_portal.deps import ServerKeysDep, SessionDep, SettingsDep
from agent_portal.devices import service as devices
from agent_portal.i18n import _
from agent_portal.params import Id
from agent_portal.unlock_codes import offline, service
from agent_portal.unlock_codes.models import CodeStatus, UnlockCode

router = APIRouter(
    prefix="/portal/customers",
    tags=["portal"],
    dependencies=[require_staff("agent", "admin")],
    include_in_schema=False,
)

STATUS_LABELS = {
    CodeStatus.OPEN: N_("open"),
    CodeStatus.USED: N_("used"),
    CodeStatus.REVOKED: N_("revoked"),
    CodeStatus.EXPIRED: N_("expired"),
}
# What the forms keep in the flash of the customer page.
NEW_CODE = "unlock_code"
OFFLINE_CODE = "offline_code"


def unlock_section(
    *,
    db_session: Session,
    customer: Customer,
    settings: PortalSettings,
    now: datetime,
    highlights,
    **_context,
) -> CustomerSection:
    return CustomerSection(
        template="unlock_codes/section.html",
        device_actions="unlock_codes/_offline_button.html",
        data={
            "codes": service.list_codes(db_session=db_session, customer=customer),
            "now": now,
            "minutes": settings.unlock_code_minutes,
            "status_labels": {status: _(label) for status, label in STATUS_LABELS.items()},
            "new_code": _kept_code(db_session, customer, highlights.get(NEW_CODE, []), now),
            "offline_code": _kept_offline_code(customer, highlights.get(OFFLINE_CODE, []), now),
        },
    )


def _kept_code(
    db_session: Session, customer: Customer, kept: list[dict], now: datetime
) -> service.IssuedCode | None:
    """The newest code this agent issued here that can still be used."""
    for item in kept:
        row = db_session.get(UnlockCode, item["code_id"])
        if (
            row is not None
            and row.customer_id == customer.id
            and row.status(now) is CodeStatus.OPEN
        ):
            return service.IssuedCode(code=item["code"], unlock_code=row)
    return None


def _kept_offline_code(customer: Customer, kept: list[dict], now: datetime):
    """The newest offline code this agent was shown here that is still valid."""
    linked = {device.id: device for device in customer.devices}
    for item in kept:
        valid_until = datetime.fromisoformat(item["valid_until"])
        if item["device_id"] in linked and valid_until > now:
            return offline.ShownCode(linked[item["device_id"]], item["code"], valid_until)
    return None


def _customer_or_404(request: Request, db_session: Session, account_number: str):
    customer = customers.get(db_session=db_session, account_number=account_number)
    return customer, (None if customer else render_not_found(request, account_number))


@router.post("/{account_number}/unlock-codes", dependencies=[csrf_protected()])
def issue_code(
    request: Request,
    account_number: str,
    db_session: SessionDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    customer, not_found = _customer_or_404(request, db_session, account_number)
    if not_found:
        return not_found
    issued = service.issue(
        db_session=db_session,
        keys=keys,
        customer=customer,
        staff=staff,
        now=utcnow(),
        lifetime=timedelta(minutes=settings.unlock_code_minutes),
    )
    db_session.commit()
    page = customer_path(customer.account_number)
    code = {"code_id": issued.unlock_code.id, "code": issued.code}
    flash.keep(page, NEW_CODE, code, until=issued.unlock_code.expires_at)
    return flash.redirect(page, fragment="unlock-codes")


@router.post("/{account_number}/unlock-codes/{code_id}/revoke", dependencies=[csrf_protected()])
def revoke_code(
    request: Request,
    account_number: str,
    code_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    customer, not_found = _customer_or_404(request, db_session, account_number)
    if not_found:
        return not_found
    page = {"db_session": db_session, "settings": settings, "customer": customer}
    now = utcnow()
    code = service.revoke(
        db_session=db_session, customer=customer, code_id=code_id, staff=staff, now=now
    )
    db_session.commit()
    if code is None:
        error = _("The customer has no unlock code #%(id)d.") % {"id": code_id}
        return render_customer_page(request, status_code=404, error=error, **page)
    if code.status(now) is not CodeStatus.REVOKED:
        error = _("Code #%(id)d cannot be revoked: it is %(status)s.") % {
            "id": code_id,
            "status": _(STATUS_LABELS[code.status(now)]),
        }
        return render_customer_page(request, status_code=409, error=error, **page)
    path = customer_path(customer.account_number)
    flash.notice(
        path,
        N_("Code #%(id)d has been revoked: it no longer unlocks anything."),
        id=code_id,
    )
    return flash.redirect(path, fragment="unlock-codes")


@router.post("/{account_number}/devices/{device_id}/offline-code", dependencies=[csrf_protected()])
def show_offline_code(
    request: Request,
    account_number: str,
    device_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
    staff: CurrentStaff,
    flash: FlashDep,
) -> Response:
    customer, not_found = _customer_or_404(request, db_session, account_number)
    if not_found:
        return not_found
    page = {"db_session": db_session, "settings": settings, "customer": customer}
    device = devices.get_device(db_session=db_session, customer=customer, device_id=device_id)
    if device is None:
        error = _("This device is not linked to the customer (any more).")
        return render_customer_page(request, status_code=404, error=error, **page)
    shown = offline.show(db_session=db_session, keys=keys, device=device, staff=staff, now=utcnow())
    db_session.commit()
    if shown is None:
        error = _(
            "“%(name)s” has no offline codes: it was not linked through the assistant. "
            "The customer can sign in again in the assistant to get them."
        ) % {"name": device.name}
        return render_customer_page(request, status_code=409, error=error, **page)
    path = customer_path(customer.account_number)
    code = {
        "device_id": device.id,
        "code": shown.code,
        "valid_until": shown.valid_until.isoformat(),
    }
    flash.keep(path, OFFLINE_CODE, code, until=shown.valid_until)
    return flash.redirect(path, fragment="unlock-codes")
