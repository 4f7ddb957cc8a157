"""Requests for a diagnostics report, the customer's answer, the report, and timeouts.
Plain functions on a database session, `now` given; every change is logged in
`diagnostics_events` in the same transaction.

    pending ──allowed──▶ allowed ──report──▶ completed
       │                    └──no report in time──▶ failed
       ├──declined──▶ declined
       └──no answer in time──▶ expired

Declined, expired or failed: nothing is stored but the request and its log.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor
from agent_portal.auth.models import StaffMember
from agent_portal.customers.models import Device
from agent_portal.realtime.errors import LiveError
from agent_portal.remote_diagnostics.models import (
    DiagnosticsEvent,
    DiagnosticsReportRecord,
    DiagnosticsRequest,
)
from isp_common.diagnostics.report import DiagnosticsReport

REPORT_MAX_BYTES = 5 * 1024 * 1024
HISTORY_LIMIT = 20


class RequestProblem(LiveError):
    """The device's answer or report does not fit the request (unknown, over, not allowed)."""


def _log(db_session: Session, request: DiagnosticsRequest, event: str, actor: Actor, now) -> None:
    db_session.add(
        DiagnosticsEvent(
            request_id=request.id,
            event=event,
            actor_kind=actor.kind,
            actor_name=actor.name[:200],
            at=now,
        )
    )


def create_request(
    *, db_session: Session, device: Device, staff: StaffMember, now: datetime, timeout: timedelta
) -> DiagnosticsRequest:
    request = DiagnosticsRequest(
        id=uuid.uuid4().hex,
        device_id=device.id,
        customer_id=device.customer_id,
        requested_by_id=staff.id,
        requested_by_name=staff.name,
        status="pending",
        created_at=now,
        expires_at=now + timeout,
    )
    db_session.add(request)
    db_session.flush()
    _log(db_session, request, "requested", Actor.staff(staff), now)
    db_session.commit()
    return request


def get_request(*, db_session: Session, request_id: str) -> DiagnosticsRequest | None:
    return db_session.get(DiagnosticsRequest, request_id)


def _device_request(db_session: Session, request_id: str, device_id: str) -> DiagnosticsRequest:
    request = db_session.get(DiagnosticsRequest, request_id)
    if request is None or request.device_id != device_id:
        raise RequestProblem(
            "There is no such diagnostics request.", code="not_found", request_id=request_id
        )
    return request


def check_own_request(*, db_session: Session, request_id: str, device_id: str) -> None:
    """RequestProblem (not_found) unless the request was made to this device: another
    device's request is answered like one that does not exist."""
    _device_request(db_session, request_id, device_id)


def answer(
    *, db_session: Session, request_id: str, device_id: str, allowed: bool, now: datetime
) -> DiagnosticsRequest:
    """The customer's answer. Too late (the request expired) raises RequestProblem."""
    request = _device_request(db_session, request_id, device_id)
    if request.status == "pending" and now >= request.expires_at:
        expire(db_session=db_session, request=request, now=now)
    if request.status != "pending":
        raise RequestProblem(
            "This request is no longer open; the agent may ask again.",
            code=f"request_{request.status}",
            request_id=request_id,
        )
    request.status = "allowed" if allowed else "declined"
    request.answered_at = now
    _log(db_session, request, request.status, Actor.device(request.device), now)
    db_session.commit()
    return request


def expire(*, db_session: Session, request: DiagnosticsRequest, now: datetime) -> None:
    request.status = "expired"
    request.answered_at = None
    _log(db_session, request, "expired", Actor.system(), now)
    db_session.commit()


def store_report(
    *, db_session: Session, request_id: str, device_id: str, report: dict, now: datetime
) -> DiagnosticsReportRecord:
    """Stores an allowed request's report exactly as sent; RequestProblem if the request
    was not allowed or the report is not a diagnostics report."""
    request = _device_request(db_session, request_id, device_id)
    if request.status != "allowed":
        raise RequestProblem(
            "This request was not allowed or is over; the report was not stored.",
            code=f"request_{request.status}",
            request_id=request_id,
        )
    text = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    if len(text.encode()) > REPORT_MAX_BYTES:
        raise RequestProblem(
            "The report is too large to store.", code="report_too_large", request_id=request_id
        )
    try:
        parsed = DiagnosticsReport.model_validate(report)
    except ValidationError as error:
        raise RequestProblem(
            f"The report is not readable: {error.error_count()} problems, first: "
            f"{error.errors()[0]['msg']}",
            code="report_invalid",
            request_id=request_id,
        ) from None
    record = DiagnosticsReportRecord(
        request_id=request.id,
        device_id=request.device_id,
        customer_id=request.customer_id,
        report_uuid=str(parsed.report_id),
        severity=parsed.severity.value if parsed.severity else None,
        received_at=now,
        report_json=text,
    )
    db_session.add(record)
    request.status = "completed"
    request.completed_at = now
    _log(db_session, request, "report_received", Actor.device(request.device), now)
    db_session.commit()
    return record


@dataclass(frozen=True)
class Ended:
    request_id: str
    device_id: str
    customer_id: int
    status: str


def end_overdue(*, db_session: Session, now: datetime, report_timeout: timedelta) -> list[Ended]:
    """Unanswered requests past their time expire; allowed ones whose report never came
    fail. What ended, for the caller to announce."""
    ended = []
    pending = db_session.scalars(
        select(DiagnosticsRequest).where(
            DiagnosticsRequest.status == "pending", DiagnosticsRequest.expires_at <= now
        )
    )
    for request in list(pending):
        request.status = "expired"
        _log(db_session, request, "expired", Actor.system(), now)
        ended.append(Ended(request.id, request.device_id, request.customer_id, "expired"))
    allowed = db_session.scalars(
        select(DiagnosticsRequest).where(
            DiagnosticsRequest.status == "allowed",
            DiagnosticsRequest.answered_at <= now - report_timeout,
        )
    )
    for request in list(allowed):
        request.status = "failed"
        _log(db_session, request, "failed", Actor.system(), now)
        ended.append(Ended(request.id, request.device_id, request.customer_id, "failed"))
    if ended:
        db_session.commit()
    return ended


def requests_for_customer(
    *, db_session: Session, customer_id: int, limit: int = HISTORY_LIMIT
) -> list[DiagnosticsRequest]:
    return list(
        db_session.scalars(
            select(DiagnosticsRequest)
            .where(DiagnosticsRequest.customer_id == customer_id)
            .order_by(DiagnosticsRequest.created_at.desc())
            .limit(limit)
        )
    )


def events_of(*, db_session: Session, request_id: str) -> list[DiagnosticsEvent]:
    return list(
        db_session.scalars(
            select(DiagnosticsEvent)
            .where(DiagnosticsEvent.request_id == request_id)
            .order_by(DiagnosticsEvent.at, DiagnosticsEvent.id)
        )
    )


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
