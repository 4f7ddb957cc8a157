"""Conversations and diagnostics reports written straight into the test's database, for the
tests of drafting an article from a chat (no assistant needs to run for them)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agent_portal.chat import service as chat
from agent_portal.chat.models import Conversation
from agent_portal.consent import service as consent
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer, Device
from agent_portal.customers.schemas import CustomerIn
from agent_portal.database import utcnow
from agent_portal.remote_diagnostics import service as diagnostics
from isp_common.diagnostics.report import (
    Category,
    CheckResult,
    CheckStatus,
    DiagnosticsReport,
    Finding,
    HostInfo,
    Severity,
)
from isp_common.live_wire import Topic


def customer(
    db_session: Session, account: str = "K-100234", language: str = "en", name: str = "Erika"
) -> Customer:
    body = {"name": name, "email": f"{account.lower()}@example.de", "language": language}
    saved = customers.save(
        db_session=db_session,
        account_number=account,
        customer_in=CustomerIn.model_validate(body),
        time_zone="Europe/Berlin",
    ).customer
    db_session.commit()
    return saved


def conversation(
    db_session: Session,
    owner: Customer,
    lines: list[tuple[str, str]],
    *,
    agent=None,
    topic: str = "wifi",
    status: str = "active",
    started: datetime | None = None,
) -> Conversation:
    """A conversation with `lines` as (speaker, text): "customer", "agent" (written by
    `agent`) or "system" (the text is the event, e.g. "assigned")."""
    started = started or utcnow() - timedelta(minutes=30)
    first_speaker, first_text = lines[0]
    assert first_speaker == "customer", "a customer starts every conversation"
    found = chat.start_conversation(
        db_session=db_session,
        customer_id=owner.id,
        device_id=None,
        topic=Topic(topic),
        client_msg_id=uuid.uuid4().hex,
        text=first_text,
        now=started,
    ).conversation
    for minute, (speaker, text) in enumerate(lines[1:], start=1):
        chat.add_message(
            db_session=db_session,
            conversation=found,
            sender=speaker,
            now=started + timedelta(minutes=minute),
            text="" if speaker == "system" else text,
            client_msg_id=None if speaker == "system" else uuid.uuid4().hex,
            staff_id=agent.id if speaker == "agent" else None,
            event=text if speaker == "system" else None,
            params={"agent": agent.name} if speaker == "system" and agent else None,
        )
    found.status = status
    found.agent_id = agent.id if agent is not None else None
    if status == "closed":
        found.closed_at = started + timedelta(minutes=len(lines))
    db_session.commit()
    return found


def device(db_session: Session, owner: Customer) -> Device:
    linked = Device(
        id=uuid.uuid4().hex,
        customer_id=owner.id,
        name="Wohnzimmer-PC",
        platform="linux",
        public_key=uuid.uuid4().hex,
        linked_at=utcnow(),
    )
    db_session.add(linked)
    db_session.commit()
    return linked


def report(
    db_session: Session, linked: Device, staff, findings: dict[str, Severity], received: datetime
) -> None:
    """A report the customer allowed, with these findings (id: severity), arrived then."""
    request = diagnostics.create_request(
        db_session=db_session,
        device=linked,
        staff=staff,
        now=received - timedelta(minutes=1),
        timeout=timedelta(minutes=5),
    )
    consent.answer(
        db_session=db_session,
        consent_id=request.id,
        device_id=linked.id,
        granted=True,
        now=received - timedelta(seconds=30),
    )
    diagnostics.store_report(
        db_session=db_session,
        request_id=request.id,
        device_id=linked.id,
        report=_report(findings, received).model_dump(mode="json"),
        now=received,
    )
    db_session.commit()


def _report(findings: dict[str, Severity], received: datetime) -> DiagnosticsReport:
    check = CheckResult(
        check_id="internet.wifi",
        category=Category.internet,
        premium=False,
        title="Wi-Fi",
        status=CheckStatus.completed,
        duration_ms=12.0,
        findings=[
            Finding(id=finding_id, severity=severity, title=finding_id, explanation="")
            for finding_id, severity in findings.items()
        ],
    )
    host = HostInfo(
        hostname="pc",
        os_family="linux",
        os_name="Debian",
        os_version="12",
        machine="x86_64",
        assistant_version="1.0",
    )
    return DiagnosticsReport(
        language="de",
        started_at=received - timedelta(minutes=2),
        finished_at=received - timedelta(minutes=1),
        host=host,
        checks=[check],
    )
