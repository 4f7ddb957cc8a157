"""Remote diagnostics on the customer's consent: a request for a report is a consent of
the kind report (`agent_portal.consent`), whose scope names the report's categories; the
report is stored only while that consent is active, and its arrival ends the consent.
These functions flush and never commit: the handlers in `flows` commit.

    consent     pending ──granted──▶ granted ──report──▶ ended (completed)
    (report)       │                    └──no report in time──▶ ended (expired)
                   ├──refused──▶ refused
                   └──no answer in time──▶ timed_out

How a request stands, in the words assistants and the portal have always used for it
(`report_status`): pending, allowed, declined, expired, completed, failed (and revoked,
when the customer stopped it before the report went).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.consent import service as consent
from agent_portal.consent import states
from agent_portal.consent.errors import ConsentNotActive
from agent_portal.consent.models import ConsentEvent, ConsentRequest
from agent_portal.customers.models import Device
from agent_portal.remote_diagnostics.errors import N_, RequestProblem
from agent_portal.remote_diagnostics.models import DiagnosticsReportRecord
from isp_common.consent_wire import ConsentKind, EndReason
from isp_common.diagnostics.report import Category, DiagnosticsReport

KIND = ConsentKind.report.value
REPORT_MAX_BYTES = 5 * 1024 * 1024
HISTORY_LIMIT = 20
# How long an allowed request waits for its report; the server's setting overrides it.
REPORT_TIMEOUT = timedelta(seconds=300)
REPORT_STATUSES = {
    "pending": "pending",
    "granted": "allowed",
    "refused": "declined",
    "timed_out": "expired",
    "revoked": "revoked",
}


def report_status(request: ConsentRequest, now: datetime) -> str:
    status = states.effective_status(request, now)
    if status != "ended":
        return REPORT_STATUSES[status]
    completed = request.status == "ended" and request.end_reason == EndReason.completed
    return "completed" if completed else "failed"


def full_scope() -> dict:
    """What a report is asked for: every category at full depth (the hotline needs it)."""
    return {"categories": [category.value for category in Category], "include_premium": True}


def create_request(
    *,
    db_session: Session,
    device: Device,
    staff: StaffMember,
    now: datetime,
    timeout: timedelta,
    report_timeout: timedelta = REPORT_TIMEOUT,
) -> ConsentRequest:
    """Asks for a report of every category at full depth (the hotline needs it to help):
    the customer has `timeout` to answer, an allowed request `report_timeout` to deliver."""
    request = consent.ask(
        db_session=db_session,
        kind=KIND,
        device=device,
        staff=staff,
        now=now,
        answer_within=timeout,
        lasts=report_timeout,
        scope=full_scope(),
    )
    db_session.flush()
    return request


def get_request(*, db_session: Session, request_id: str) -> ConsentRequest | None:
    request = db_session.get(ConsentRequest, request_id)
    return request if request is not None and request.kind == KIND else None


def _device_request(db_session: Session, request_id: str, device_id: str) -> ConsentRequest:
    request = get_request(db_session=db_session, request_id=request_id)
    if request is None or request.device_id != device_id:
        raise RequestProblem(
            N_("There is no such diagnostics request."), code="not_found", request_id=request_id
        )
    return request


def check_own_request(*, db_session: Session, request_id: str, device_id: str) -> None:
    """RequestProblem (not_found) unless the request was made to this device: another
    device's request is answered like one that does not exist."""
    _device_request(db_session, request_id, device_id)


def store_report(
    *, db_session: Session, request_id: str, device_id: str, report: dict, now: datetime
) -> DiagnosticsReportRecord:
    """Stores the report exactly as sent, while its consent is active, and ends that
    consent (its purpose is done); RequestProblem if the consent is not active or the
    report is not a diagnostics report."""
    request = _device_request(db_session, request_id, device_id)
    try:
        consent.require_active(
            db_session=db_session, kind=KIND, consent_id=request_id, device_id=device_id, now=now
        )
    except ConsentNotActive:
        raise RequestProblem(
            N_("This request was not allowed or is over; the report was not stored."),
            code=f"request_{report_status(request, now)}",
            request_id=request_id,
        ) from None
    text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > REPORT_MAX_BYTES:
        raise RequestProblem(
            N_("The report is too large to store."), code="report_too_large", request_id=request_id
        )
    try:
        parsed = DiagnosticsReport.model_validate(report)
    except ValidationError as error:
        raise RequestProblem(
            N_("The report is not readable: %(count)s problems, first: %(first)s"),
            code="report_invalid",
            request_id=request_id,
            count=error.error_count(),
            first=error.errors()[0]["msg"],
        ) from None
    record = DiagnosticsReportRecord(
        request=request,
        device_id=request.device_id,
        customer_id=request.customer_id,
        report_uuid=str(parsed.report_id),
        severity=parsed.severity.value if parsed.severity else None,
        received_at=now,
        report_json=text,
    )
    db_session.add(record)
    consent.end(
        db_session=db_session,
        consent_id=request.id,
        reason=EndReason.completed,
        actor=Actor.device(request.device),
        now=now,
    )
    db_session.flush()
    return record


def events_of(*, db_session: Session, request_id: str) -> list[ConsentEvent]:
    """The request's record, step by step."""
    return consent.events_of(db_session=db_session, consent_ids=[request_id])[request_id]


def get_report(*, db_session: Session, report_id: int) -> DiagnosticsReportRecord | None:
    return db_session.get(DiagnosticsReportRecord, report_id)


def reports_for_device(
    *, db_session: Session, device_id: str, limit: int = HISTORY_LIMIT
) -> list[DiagnosticsReportRecord]:
    """The device's reports, newest first, with their JSON loaded."""
    from sqlalchemy.orm import undefer

    return list(
        db_session.scalars(
            select(DiagnosticsReportRecord)
            .where(DiagnosticsReportRecord.device_id == device_id)
            .options(undefer(DiagnosticsReportRecord.report_json))
            .order_by(DiagnosticsReportRecord.received_at.desc(), DiagnosticsReportRecord.id.desc())
            .limit(limit)
        )
    )


def reports_for_customer(
    *, db_session: Session, customer_id: int, limit: int = HISTORY_LIMIT
) -> list[DiagnosticsReportRecord]:
    return list(
        db_session.scalars(
            select(DiagnosticsReportRecord)
            .where(DiagnosticsReportRecord.customer_id == customer_id)
            .order_by(DiagnosticsReportRecord.received_at.desc(), DiagnosticsReportRecord.id.desc())
            .limit(limit)
        )
    )


def newest_report(
    *, db_session: Session, customer_id: int, received_from: datetime, received_until: datetime
) -> DiagnosticsReportRecord | None:
    """The customer's newest report received in that time span, with its JSON loaded."""
    from sqlalchemy.orm import undefer

    return db_session.scalar(
        select(DiagnosticsReportRecord)
        .where(
            DiagnosticsReportRecord.customer_id == customer_id,
            DiagnosticsReportRecord.received_at >= received_from,
            DiagnosticsReportRecord.received_at <= received_until,
        )
        .options(undefer(DiagnosticsReportRecord.report_json))
        .order_by(DiagnosticsReportRecord.received_at.desc(), DiagnosticsReportRecord.id.desc())
        .limit(1)
    )


def parse(record: DiagnosticsReportRecord) -> DiagnosticsReport:
    return DiagnosticsReport.model_validate_json(record.report_json)
