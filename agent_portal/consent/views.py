"""Consent's JSON API for the assistant: `GET /api/v1/consents`, the record of what the
linked device's customer was asked (on any of their devices) and what became of it, with
each step's time and actor (`isp_common.consent_wire.ConsentHistory`): "What you shared,
and with whom"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agent_portal.consent import service
from agent_portal.consent.models import ConsentRequest
from agent_portal.deps import SessionDep
from agent_portal.devices.deps import CurrentDevice, require_device
from isp_common.consent_wire import (
    CONSENT_HISTORY_MAX,
    CONSENT_HISTORY_PATH,
    ConsentHistory,
    ConsentHistoryEntry,
    ConsentStep,
)

router = APIRouter(tags=["consent"])


def _entry(consent: ConsentRequest, steps, roles: dict[int, str]) -> ConsentHistoryEntry:
    return ConsentHistoryEntry(
        consent_id=consent.id,
        kind=consent.kind,
        device_id=consent.device_id,
        device_name=consent.device.name,
        requester_name=consent.requested_by_name,
        requester_role=roles.get(consent.requested_by_id, ""),
        reason=consent.reason,
        status=consent.status,
        end_reason=consent.end_reason,
        choice=(consent.scope or {}).get("choice"),
        parent_id=consent.parent_id,
        asked_at=consent.created_at,
        answered_at=consent.answered_at,
        closed_at=consent.closed_at,
        steps=[
            ConsentStep(
                event=step.event,
                at=step.at,
                actor_kind=step.actor_kind,
                actor_name=step.actor_name,
                detail=step.detail,
            )
            for step in steps
        ],
    )


@router.get(CONSENT_HISTORY_PATH, response_model=ConsentHistory, dependencies=[require_device()])
def consent_history(
    db_session: SessionDep,
    device: CurrentDevice,
    limit: Annotated[int, Query(ge=1, le=CONSENT_HISTORY_MAX)] = 50,
) -> ConsentHistory:
    """What the customer was asked (a report, a screen view, remote control, a call), by
    whom and why, and what they allowed, refused or stopped, step by step; newest first."""
    record = service.record_for_customer(
        db_session=db_session, customer_id=device.customer_id, limit=limit
    )
    steps = service.events_of(db_session=db_session, consent_ids=[item.id for item in record])
    roles = service.requester_roles(db_session=db_session, consents=record)
    return ConsentHistory(consents=[_entry(item, steps[item.id], roles) for item in record])
