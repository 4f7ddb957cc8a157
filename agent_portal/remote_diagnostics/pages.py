"""The agent's side of remote diagnostics:

- on the customer page, each device shows whether it is online and, if so, "Request
  diagnostics"; a section lists the reports (the requests, with their outcome and each
  step, are in the consent record beside it: `agent_portal.consent.page_data`);
- `POST /portal/customers/{account_number}/devices/{device_id}/diagnostics` asks the device;
- `GET /portal/diagnostics/reports/{report_id}`: one report, findings, facts and charts,
  next to the device's earlier reports.

The page's script redraws the sections when a consent or a device's presence changes, so
the agent sees the customer's answer without reloading.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.auth.errors import N_, RelationForbidden
from agent_portal.chat import access as chat_access
from agent_portal.chat.page_data import presence_label
from agent_portal.config import PortalSettings
from agent_portal.consent import page_data as consent_page_data
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer
from agent_portal.customers.pages import (
    CustomerSection,
    Formats,
    customer_path,
    render_customer_page,
    render_not_found,
)
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _, translator
from agent_portal.params import Id
from agent_portal.realtime import presence
from agent_portal.remote_diagnostics import charts, service
from agent_portal.remote_diagnostics.fact_rows import Reader
from agent_portal.remote_diagnostics.flows import DeviceUnavailable, request_report
from agent_portal.web.flash import see_other
from agent_portal.web.templating import render

STAFF = require_staff("agent", "admin")
# A report's page: experts too, for the customers who started a pre-chat with them.
REPORT_READERS = require_staff("agent", "admin", "expert")
router = APIRouter(prefix="/portal", tags=["portal"], include_in_schema=False)

SEVERITY_LABELS = {
    "ok": N_("OK"),
    "info": N_("Note"),
    "warning": N_("Warning"),
    "critical": N_("Critical"),
}
STATUS_LABELS_CHECKS = {
    "completed": N_("done"),
    "unknown": N_("unknown"),
    "timed_out": N_("timed out"),
}


def diagnostics_section(
    *, db_session: Session, customer: Customer, now: datetime, **_context
) -> CustomerSection:
    online = presence.online_devices(
        db_session=db_session, device_ids=[device.id for device in customer.devices], now=now
    )
    return CustomerSection(
        template="remote_diagnostics/section.html",
        device_actions="remote_diagnostics/_device_action.html",
        data={
            "online": online,
            "reports": service.reports_for_customer(db_session=db_session, customer_id=customer.id),
            "severity_label": lambda severity: _(SEVERITY_LABELS.get(severity or "", "–")),
            "presence_label": presence_label,
        },
    )


def _customer_page(request, *, db_session, settings, customer, status_code=200, error=None):
    return render_customer_page(
        request,
        db_session=db_session,
        settings=settings,
        customer=customer,
        status_code=status_code,
        error=error,
    )


@router.post(
    "/customers/{account_number}/devices/{device_id}/diagnostics",
    response_class=HTMLResponse,
    dependencies=[STAFF, csrf_protected()],
)
async def ask_for_diagnostics(
    request: Request, account_number: str, device_id: str, staff: CurrentStaff
):
    live = request.app.state.live

    def load(db_session):
        customer = customers.get(db_session=db_session, account_number=account_number)
        owns = customer is not None and any(d.id == device_id for d in customer.devices)
        return customer, owns

    customer, owns = await live.run_db(load)
    if customer is None:
        return render_not_found(request, account_number)
    error = None
    if not owns:
        error = _("This device is not linked to the customer (any more).")
    else:
        try:
            await request_report(live, device_id=device_id, staff_id=staff.id)
        except DeviceUnavailable as problem:
            error = (
                _("The device is offline: the assistant must be running to be asked.")
                if problem.reason == "offline"
                else _("This device is not linked to the customer (any more).")
            )
    if error is None:
        return see_other(customer_path(customer.account_number), fragment="remote-diagnostics")
    return await live.run_db(
        lambda db_session: _customer_page(
            request,
            db_session=db_session,
            settings=live.settings,
            customer=customers.get(db_session=db_session, account_number=account_number),
            status_code=409,
            error=error,
        )
    )


def _report_context(db_session: Session, record, settings: PortalSettings) -> dict:
    report = service.parse(record)
    fmt = Formats(settings.time_zone, utcnow())
    reader = Reader(locale=translator.language.get(), zone=settings.time_zone)
    earlier = service.reports_for_device(db_session=db_session, device_id=record.device_id)
    history = [(fmt.moment(item.received_at), service.parse(item)) for item in reversed(earlier)]
    return {
        "record": record,
        "report": report,
        "customer": record.request.customer,
        "earlier": earlier,
        "events": service.events_of(db_session=db_session, request_id=record.request_id),
        "chart_data": charts.chart_data(report, history),
        "fact_rows": reader.rows,
        "actor_text": consent_page_data.actor_text,
        "fmt": fmt,
        "severity_label": lambda severity: _(SEVERITY_LABELS.get(severity or "", "–")),
        "check_status_label": lambda status: _(STATUS_LABELS_CHECKS.get(status, status)),
        "event_label": lambda event: consent_page_data.event_label(record.request.kind, event),
        "texts": {
            "memory": _("Memory"),
            "swap": _("Swap"),
            "cpu": _("Processor"),
            "disk": _("Fullest disk"),
            "problems": _("Warnings and critical findings"),
            "percent": _("Used (%)"),
            "severities": {key: _(label) for key, label in SEVERITY_LABELS.items()},
        },
    }


@router.get(
    "/diagnostics/reports/{report_id}", response_class=HTMLResponse, dependencies=[REPORT_READERS]
)
def report_page(
    request: Request,
    report_id: Id,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
):
    record = service.get_report(db_session=db_session, report_id=report_id)
    if record is None:
        return render(request, "remote_diagnostics/report_not_found.html", status_code=404)
    if staff.role == "expert" and not chat_access.expert_serves_customer(
        db_session=db_session, staff_id=staff.id, customer_id=record.customer_id
    ):
        raise RelationForbidden(N_("Experts see the reports of their own customers only."))
    return render(
        request, "remote_diagnostics/report.html", **_report_context(db_session, record, settings)
    )
