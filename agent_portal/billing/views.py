"""The billing feed for the ISP's back end (API key, like the provisioning API):

- `GET /api/v1/billing/charges?after=<cursor>&limit=<n>&unbooked=<bool>`: the bill lines of
  paid sessions (charges, tips, refunds as negative amounts), each once, in a stable order
  (`service.collect` says how, also when transactions commit out of order);
- `POST /api/v1/billing/charges/ack` `{"ids": [...]}`: the back end booked these lines;
  idempotent; an unknown id refuses the whole request, nothing is stored.

For the customer's assistant (signed by a linked device):

- `POST /api/v1/billing/sessions/{session_id}/dispute` `{"reason": "..."}`: the customer
  objects to one of their ended paid sessions; an admin resolves it. Raising it again
  answers the dispute as it stands.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from agent_portal.api_errors import refusals
from agent_portal.audit.service import Actor
from agent_portal.auth.deps import require_api_key
from agent_portal.billing import service
from agent_portal.billing.schemas import (
    AckIn,
    AckOut,
    ChargeOut,
    ChargesPage,
)
from agent_portal.database import utcnow
from agent_portal.deps import SessionDep
from agent_portal.devices.deps import CurrentDevice, require_device
from agent_portal.params import Id
from isp_common.invoices_wire import DISPUTE_PATH, DisputeIn, DisputeOut

CHARGES_PATH = "/api/v1/billing/charges"
ACK_PATH = "/api/v1/billing/charges/ack"

router = APIRouter(tags=["billing"], dependencies=[require_api_key()])
devices = APIRouter(tags=["billing"], dependencies=[require_device()])


@router.get(
    CHARGES_PATH,
    response_model=ChargesPage,
    responses=refusals({400: "The cursor is not one this feed gave out"}),
)
def charges(
    db_session: SessionDep,
    after: Annotated[
        str | None, Query(max_length=100, description="A cursor from an earlier page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE)] = service.DEFAULT_PAGE,
    unbooked: Annotated[bool, Query(description="Only lines not yet acknowledged")] = False,
) -> ChargesPage:
    position = service.decode_cursor(after)
    # New money first becomes lines of the feed, in a unit of its own (it holds the
    # feed's lock until it commits); then the page is read.
    service.collect(db_session=db_session, now=utcnow())
    db_session.commit()
    page = service.feed(db_session=db_session, after=position, limit=limit, unbooked=unbooked)
    return ChargesPage(
        charges=[
            ChargeOut(
                id=line.charge.id,
                cursor=service.encode_cursor(line.charge.position),
                account_number=line.account_number,
                session_id=line.charge.paid_session_id,
                date=line.charge.occurred_at,
                amount=line.charge.amount,
                currency=line.charge.currency,
                kind=line.charge.kind,
                description=line.charge.description,
                booked=line.charge.booked_at is not None,
            )
            for line in page.lines
        ],
        next_cursor=page.next_cursor,
        has_more=page.has_more,
    )


@router.post(
    ACK_PATH,
    response_model=AckOut,
    responses=refusals({404: "An id is no line of the feed (`unknown_ids`); nothing stored"}),
)
def acknowledge(request: Request, ack: AckIn, db_session: SessionDep) -> AckOut:
    api_key = getattr(request.state, "api_key", None)
    done = service.acknowledge(
        db_session=db_session,
        ids=ack.ids,
        api_key_id=getattr(api_key, "id", None),
        now=utcnow(),
    )
    db_session.commit()
    return AckOut(booked=done.booked, already_booked=done.already_booked)


@devices.post(
    DISPUTE_PATH,
    response_model=DisputeOut,
    responses=refusals(
        {
            400: "No reason given",
            404: "No ended paid session of this customer with this id",
        }
    ),
)
def dispute(
    session_id: Id, dispute_in: DisputeIn, device: CurrentDevice, db_session: SessionDep
) -> DisputeOut:
    raised = service.raise_dispute(
        db_session=db_session,
        session_id=session_id,
        customer_id=device.customer_id,
        device_id=device.id,
        reason=dispute_in.reason,
        now=utcnow(),
        actor=Actor.device(device),
    )
    db_session.commit()
    return DisputeOut(
        session_id=raised.paid_session_id,
        raised_at=raised.raised_at,
        status=raised.resolution or "open",
        note=raised.resolution_note,
    )
