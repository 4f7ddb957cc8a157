"""Admins' page "Payments", under `/portal/admin/billing`: every paid session with its
money (amount, waiver, tip, charged, refunded, the platform's fee), filterable; the
platform's fee income per month as a chart with its table; and a session's page with its
refunds and the form to refund part of its charge or tip, with a reason."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from agent_portal.audit.service import Actor
from agent_portal.auth.deps import CurrentStaff, FlashDep, csrf_protected, require_staff
from agent_portal.auth.models import StaffMember
from agent_portal.billing import charts as fee_charts
from agent_portal.billing import service
from agent_portal.billing.errors import BillingError
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep
from agent_portal.i18n import _
from agent_portal.ledger.errors import LedgerError
from agent_portal.paid_sessions.models import SESSION_STATUSES, PaidSession
from agent_portal.params import Id, PageNumber
from agent_portal.web.flash import N_
from agent_portal.web.templating import render

BILLING_PATH = "/portal/admin/billing"
PER_PAGE = 50
CHART_MONTHS = 12

router = APIRouter(prefix=BILLING_PATH, tags=["portal"], include_in_schema=False)
admins = [require_staff("admin")]
admins_form = [require_staff("admin"), csrf_protected()]

STATUS_NAMES = {
    "proposed": N_("proposed"),
    "running": N_("running"),
    "paused": N_("paused"),
    "ended": N_("ended"),
    "cancelled": N_("cancelled"),
}
KIND_NAMES = {"charge": N_("charge"), "tip": N_("tip")}
RESOLUTION_NAMES = {
    "refunded": N_("Resolved with a refund"),
    "rejected": N_("Rejected: the charge stands"),
}


def session_path(session_id: int) -> str:
    return f"{BILLING_PATH}/sessions/{session_id}"


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@router.get("", response_class=HTMLResponse, dependencies=admins)
def billing_page(
    request: Request,
    db_session: SessionDep,
    page: PageNumber = 1,
    status: str = "",
    account: str = "",
    expert: str = "",
    currency: str = "",
    ended_from: str = "",
    ended_until: str = "",
    refunded: str = "",
    disputed: str = "",
) -> HTMLResponse:
    problems = []
    try:
        start, end = _day(ended_from.strip()), _day(ended_until.strip())
    except ValueError:
        start = end = None
        problems.append(_("Enter the dates as year-month-day, such as 2026-12-01."))
    expert_id = int(expert) if expert.isdigit() and 0 < int(expert) < 2**31 else None
    filters = service.Filters(
        status=status if status in SESSION_STATUSES else "",
        account_number=account.strip().upper(),
        expert_staff_id=expert_id,
        currency=currency.strip().upper()[:3],
        ended_from=start,
        ended_until=end,
        refunded_only=refunded == "1",
        disputed_only=disputed == "1",
    )
    sessions, total = service.session_money(
        db_session=db_session, filters=filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    months = fee_charts.last_months(utcnow().date(), CHART_MONTHS)
    fees = service.fee_income_by_month(db_session=db_session, since=months[0])
    experts = (
        db_session.query(StaffMember)
        .filter(StaffMember.id.in_(db_session.query(PaidSession.expert_staff_id)))
        .order_by(StaffMember.display_name)
        .all()
    )
    query = request.url.query
    base_query = "&".join(
        part for part in query.split("&") if part and not part.startswith("page=")
    )
    return render(
        request,
        "billing/billing.html",
        sessions=sessions,
        total=total,
        page=page,
        has_more=page * PER_PAGE < total,
        base_query=base_query,
        filters=filters,
        raw={"ended_from": ended_from, "ended_until": ended_until, "account": account},
        experts=experts,
        statuses=STATUS_NAMES,
        charts=fee_charts.fee_charts(fees, months),
        problems=problems,
        open_disputes=service.open_dispute_count(db_session=db_session),
    )


def _session_page(
    request: Request,
    db_session,
    session_id: int,
    *,
    refund_error: str | None = None,
    status_code: int = 200,
    form: dict | None = None,
    dispute_error: str | None = None,
) -> HTMLResponse:
    money = service.session_detail(db_session=db_session, session_id=session_id)
    return render(
        request,
        "billing/session.html",
        status_code=status_code,
        page_url=session_path(session_id),
        money=money,
        refunds=service.refunds_of(db_session=db_session, paid=money.paid),
        statuses=STATUS_NAMES,
        kinds=KIND_NAMES,
        # Not `error`: the base template would show it at the top as well, a second alert.
        refund_error=refund_error,
        dispute_error=dispute_error,
        resolutions=RESOLUTION_NAMES,
        form=form or {},
        refund_key=uuid.uuid4().hex,
    )


@router.get("/sessions/{session_id}", response_class=HTMLResponse, dependencies=admins)
def session_page(request: Request, session_id: Id, db_session: SessionDep) -> HTMLResponse:
    try:
        return _session_page(request, db_session, session_id)
    except BillingError as missing:
        return render(
            request,
            "billing/missing.html",
            status_code=missing.status_code,
            message=missing.translated(),
        )


@router.post("/sessions/{session_id}/refund", dependencies=admins_form)
def refund(
    request: Request,
    session_id: Id,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    part: Annotated[str, Form()] = "charge",
    amount: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    refund_key: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    paid = db_session.get(PaidSession, session_id)
    if paid is None:
        return render(
            request,
            "billing/missing.html",
            status_code=404,
            message=_("There is no paid session %(session_id)s.") % {"session_id": session_id},
        )
    form = {"part": part, "amount": amount, "reason": reason}
    try:
        minor = service.parse_amount(amount, paid.currency)
        done = service.refund(
            db_session=db_session,
            session_id=session_id,
            part=part,
            amount=minor,
            reason=reason,
            actor=Actor.staff(staff),
            idempotency_key=f"billing-refund:{refund_key or uuid.uuid4().hex}",
            now=utcnow(),
        )
    except BillingError as refused:
        db_session.rollback()
        return _session_page(
            request,
            db_session,
            session_id,
            refund_error=refused.translated(),
            status_code=refused.status_code,
            form=form,
        )
    except LedgerError as refused:
        db_session.rollback()
        return _session_page(
            request,
            db_session,
            session_id,
            refund_error=_ledger_refusal(refused),
            status_code=409,
            form=form,
        )
    db_session.commit()
    flash.notice(
        session_path(session_id),
        N_("%(amount)s refunded. The customer's ISP bill shows it as a credit."),
        amount=_money_text(done.amount, done.currency),
    )
    return flash.redirect(session_path(session_id))


@router.post("/sessions/{session_id}/dispute/resolve", dependencies=admins_form)
def resolve_dispute(
    request: Request,
    session_id: Id,
    db_session: SessionDep,
    staff: CurrentStaff,
    flash: FlashDep,
    resolution: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        service.resolve_dispute(
            db_session=db_session,
            session_id=session_id,
            resolution=resolution,
            note=note,
            actor=Actor.staff(staff),
            now=utcnow(),
        )
    except BillingError as refused:
        db_session.rollback()
        if db_session.get(PaidSession, session_id) is None:
            return render(
                request,
                "billing/missing.html",
                status_code=404,
                message=refused.translated(),
            )
        return _session_page(
            request,
            db_session,
            session_id,
            dispute_error=refused.translated(),
            status_code=refused.status_code,
        )
    db_session.commit()
    flash.notice(session_path(session_id), N_("The dispute is resolved."))
    return flash.redirect(session_path(session_id))


# The ledger words its refusals for programs, in English (`agent_portal.ledger.errors`);
# those that get past the billing service to the refund form, in the admin's language.
_SENT_WITH_OTHER_VALUES = N_(
    "This refund form was already sent with other values: nothing more was refunded. "
    "Reload the page to see what was refunded, and enter a refund anew if one is still due."
)
_LEDGER_REFUSED = N_(
    "The refund was refused (%(code)s); nothing was refunded. Reload the page and try "
    "again; if it is refused again, tell the portal's operators this code."
)


def _ledger_refusal(refused: LedgerError) -> str:
    if refused.code == "idempotency_key_reused":
        return _(_SENT_WITH_OTHER_VALUES)
    return _(_LEDGER_REFUSED) % {"code": refused.code}


def _money_text(amount: int, currency: str) -> str:
    from agent_portal.i18n import translator
    from isp_common import formatting

    return formatting.money(amount, currency, locale=translator.language.get())
