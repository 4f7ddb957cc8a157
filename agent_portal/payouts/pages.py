"""The payout pages:

- `GET /portal/payouts?period=YYYY-MM` (experts, admins): an expert sees the months their
  earnings moved and their own report; an admin every expert's net of the month (the
  month before the current one when none is asked for);
- `GET /portal/payouts/{period}/{staff_id}` (the expert themself, admins): the report;
  `.../report.csv` and `.../report.pdf` the same as files;
- `POST /portal/payouts/{period}/{staff_id}/paid` (admins, a form): marks the month paid
  out (a ledger payout), once; a refusal says why and stores nothing.

Another expert's report is refused (403), as are unknown months and experts (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _, translator
from agent_portal.invoices.figures import Issuer
from agent_portal.params import Id
from agent_portal.payouts import exports, service
from agent_portal.payouts.errors import NotYourPayouts, PayoutError
from agent_portal.web.flash import N_
from agent_portal.web.templating import render
from isp_common import formatting

router = APIRouter(prefix="/portal/payouts", tags=["portal"], include_in_schema=False)
READERS = require_staff("expert", "admin")
ADMIN = require_staff("admin")


class Money:
    """Amounts and days of the report in the page's language."""

    def __init__(self, zone) -> None:
        self.zone = zone
        self.locale = translator.language.get()

    def __call__(self, cents: int, currency: str) -> str:
        return formatting.money(cents, currency, locale=self.locale)

    def day(self, value) -> str:
        return formatting.day(value, locale=self.locale, zone=self.zone) if value else ""

    def number(self, value: int) -> str:
        return formatting.number(value, locale=self.locale)


def report_path(period: str, staff_id: int) -> str:
    return f"/portal/payouts/{period}/{staff_id}"


def _refused(request: Request, refusal: PayoutError) -> HTMLResponse:
    return render(
        request,
        "payouts/refused.html",
        status_code=refusal.status_code,
        error=refusal.translated(_),
    )


def _report(db_session, settings, staff, period: str, staff_id: int) -> service.Report:
    service.expert(db_session=db_session, staff_id=staff_id)  # an unknown one: 404
    if staff.role != "admin" and staff.id != staff_id:
        raise NotYourPayouts()
    zone = Issuer.from_settings(settings).zone
    return service.report(
        db_session=db_session,
        staff_id=staff_id,
        period=service.parse_period(period),
        zone=zone,
    )


@router.get("", response_class=HTMLResponse, dependencies=[READERS])
def payouts(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    period: str = "",
):
    zone = Issuer.from_settings(settings).zone
    try:
        if period:
            chosen = service.parse_period(period)
        else:
            current = service.period_of(utcnow(), zone)
            previous = (
                (current.year, current.month - 1) if current.month > 1 else (current.year - 1, 12)
            )
            chosen = service.Period(*previous)
    except PayoutError as refusal:
        return _refused(request, refusal)
    months = []
    reports = []
    if staff.role == "admin":
        reports = service.overview(db_session=db_session, period=chosen, zone=zone)
    else:
        months = service.months_with_money(db_session=db_session, staff_id=staff.id, zone=zone)
    return render(
        request,
        "payouts/payouts.html",
        period=chosen,
        months=months,
        reports=reports,
        report_path=report_path,
        money=Money(zone),
    )


@router.get("/{period}/{staff_id}", response_class=HTMLResponse, dependencies=[READERS])
def report_page(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    period: str,
    staff_id: Id,
):
    try:
        found = _report(db_session, settings, staff, period, staff_id)
    except PayoutError as refusal:
        return _refused(request, refusal)
    return render(
        request,
        "payouts/report.html",
        report=found,
        path=report_path(found.period.name, staff_id),
        money=Money(Issuer.from_settings(settings).zone),
        can_mark=staff.role == "admin",
        error=None,
    )


@router.get("/{period}/{staff_id}/report.csv", dependencies=[READERS])
def report_csv(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    period: str,
    staff_id: Id,
):
    try:
        found = _report(db_session, settings, staff, period, staff_id)
    except PayoutError as refusal:
        return _refused(request, refusal)
    text = exports.as_csv(
        found, language=translator.language.get(), zone=Issuer.from_settings(settings).zone
    )
    return Response(
        text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{exports.file_name(found, "csv")}"'
        },
    )


@router.get("/{period}/{staff_id}/report.pdf", dependencies=[READERS])
def report_pdf(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    period: str,
    staff_id: Id,
):
    try:
        found = _report(db_session, settings, staff, period, staff_id)
    except PayoutError as refusal:
        return _refused(request, refusal)
    data = exports.as_pdf(
        found, language=translator.language.get(), issuer=Issuer.from_settings(settings)
    )
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{exports.file_name(found, "pdf")}"'
        },
    )


@router.post("/{period}/{staff_id}/paid", dependencies=[ADMIN, csrf_protected()])
def mark_paid(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    flash: FlashDep,
    period: str,
    staff_id: Id,
):
    zone = Issuer.from_settings(settings).zone
    try:
        chosen = service.parse_period(period)
        made = service.mark_paid(
            db_session=db_session,
            staff_id=staff_id,
            period=chosen,
            zone=zone,
            admin_id=staff.id,
            now=utcnow(),
        )
    except PayoutError as refusal:
        db_session.rollback()
        try:
            found = _report(db_session, settings, staff, period, staff_id)
        except PayoutError as unknown:
            return _refused(request, unknown)
        page = report_path(found.period.name, staff_id)
        return render(
            request,
            "payouts/report.html",
            status_code=refusal.status_code,
            page_url=page,
            report=found,
            path=page,
            money=Money(zone),
            can_mark=True,
            error=refusal.translated(_),
        )
    db_session.commit()
    page = report_path(chosen.name, staff_id)
    money = Money(zone)
    flash.notice(
        page,
        N_("%(amount)s for %(period)s is marked paid out."),
        amount=", ".join(money(row.amount, row.currency) for row in made),
        period=chosen.name,
    )
    return flash.redirect(page)
