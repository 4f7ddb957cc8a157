"""The devices API.

For the assistant (signed with the device's key, see `agent_portal.devices.deps`):

- `POST /api/v1/devices/link`: sign in with account number and password or activation
  code, and link this device; answers the offline secret (once), the server's keys and
  the subscription entitlement, if any.
- `POST /api/v1/devices/unlink`: the device unlinks itself (frees its place), 204.
- `POST /api/v1/devices/release`: with the release ticket of a sign-in refused for a full
  device list, releases one of the customer's computers and links this one in its place;
  answers like the link.

For the ISP's back end (API key), beside the customers' provisioning routes:

- `PUT /api/v1/provisioning/customers/{account_number}/password`: sets the customer's
  sign-in password, 204.
- `POST /api/v1/provisioning/customers/{account_number}/activation-codes`: a one-time
  activation code for the customer (shown once), 201.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from agent_portal.api_errors import refusals
from agent_portal.audit.service import Actor, record
from agent_portal.auth.deps import require_api_key
from agent_portal.customers import service as customers
from agent_portal.customers.errors import NOT_FOUND, CustomerNotFound
from agent_portal.customers.models import Customer
from agent_portal.database import utcnow
from agent_portal.deps import ServerKeysDep, SessionDep, SettingsDep, client_address
from agent_portal.devices import credentials, flows, release, service
from agent_portal.devices.audit_events import Event
from agent_portal.devices.deps import (
    CurrentDevice,
    SignedRequestDep,
    attempt_policy,
    require_device,
    require_device_signature,
)
from agent_portal.devices.errors import SignInFailed, SignInLocked
from agent_portal.devices.schemas import ActivationCodeOut, PasswordIn
from agent_portal.entitlements import service as entitlements
from agent_portal.params import AccountNumber
from isp_common.premium_wire import (
    LINK_PATH,
    RELEASE_PATH,
    UNLINK_PATH,
    LinkRequest,
    LinkResponse,
    ReleaseRequest,
)

router = APIRouter(tags=["devices"])

LINK_REFUSALS = refusals(
    {
        401: "Wrong sign-in, or the request is not signed with the key sent",
        409: "Device limit reached, or the computer is linked to another customer",
        429: "Too many failed sign-ins",
    }
)


@router.post(
    LINK_PATH,
    response_model=LinkResponse,
    dependencies=[require_device_signature()],
    responses=LINK_REFUSALS,
)
def link_device(
    request: Request,
    link_request: LinkRequest,
    signed: SignedRequestDep,
    db_session: SessionDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
) -> LinkResponse:
    now = utcnow()
    address = client_address(request)
    ticket_lifetime = timedelta(minutes=settings.release_ticket_minutes)
    try:
        linked = service.link(
            db_session=db_session,
            keys=keys,
            link_request=link_request,
            signed=signed,
            address=address,
            now=now,
            policy=attempt_policy(settings),
            device_limits=settings.device_limits,
            max_age_seconds=settings.device_request_max_age_seconds,
            release_ticket_lifetime=ticket_lifetime,
        )
    except (SignInFailed, SignInLocked):
        db_session.commit()  # the failed attempt counts, and its audit entry stays
        raise
    except service.LinkRefused as refused:
        db_session.rollback()  # no link: the activation code stays unused
        refusal = service.record_refusal(
            db_session=db_session,
            keys=keys,
            refused=refused,
            address=address,
            now=now,
            release_ticket_lifetime=ticket_lifetime,
        )
        db_session.commit()
        raise refusal from None
    answer = _link_response(linked, settings=settings, keys=keys, now=now)
    db_session.commit()
    return answer


RELEASE_REFUSALS = refusals(
    {
        401: "The release ticket is unknown, used, expired or another computer's, or the "
        "request is not signed with the key sent",
        404: "The computer to release is not linked to the ticket's customer",
        409: "Still no place (the subscription changed meanwhile), or this computer is "
        "linked to another customer",
    }
)


@router.post(
    RELEASE_PATH,
    response_model=LinkResponse,
    dependencies=[require_device_signature()],
    responses=RELEASE_REFUSALS,
)
def release_device(
    request: Request,
    release_request: ReleaseRequest,
    signed: SignedRequestDep,
    db_session: SessionDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
) -> LinkResponse:
    now = utcnow()
    released = release.release_and_link(
        db_session=db_session,
        keys=keys,
        release_request=release_request,
        signed=signed,
        address=client_address(request),
        now=now,
        device_limits=settings.device_limits,
        max_age_seconds=settings.device_request_max_age_seconds,
    )
    answer = _link_response(released.linked, settings=settings, keys=keys, now=now)
    db_session.commit()
    flows.tell_unlinked(request.app.state.live, released.released.device_id)
    return answer


def _link_response(linked: service.Linked, *, settings, keys, now) -> LinkResponse:
    grant = entitlements.subscription_grant(
        keys=keys,
        customer=linked.customer,
        device_id=linked.device.id,
        now=now,
        lifetime=timedelta(hours=settings.entitlement_lifetime_hours),
        device_limits=settings.device_limits,
    )
    return LinkResponse(
        account_number=linked.customer.account_number,
        customer_name=linked.customer.name or "",
        device_id=linked.device.id,
        device_name=linked.device.name,
        offline_secret=linked.offline_secret,
        keys=keys.signing.public_keys(),
        subscription=grant,
    )


@router.post(UNLINK_PATH, status_code=status.HTTP_204_NO_CONTENT, dependencies=[require_device()])
def unlink_this_device(request: Request, device: CurrentDevice, db_session: SessionDep):
    device_id = device.id
    service.unlink(
        db_session=db_session,
        device=device,
        actor=Actor.device(device),
        now=utcnow(),
        address=client_address(request),
    )
    db_session.commit()
    flows.tell_unlinked(request.app.state.live, device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


provisioning = APIRouter(
    prefix="/api/v1/provisioning/customers",
    tags=["provisioning"],
    dependencies=[require_api_key()],
)


def _customer(db_session, account_number: str) -> Customer:
    customer = customers.get(db_session=db_session, account_number=account_number)
    if customer is None:
        raise CustomerNotFound(account_number)
    return customer


@provisioning.put(
    "/{account_number}/password", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND
)
def set_password(
    account_number: AccountNumber, body: PasswordIn, request: Request, db_session: SessionDep
) -> Response:
    customer = _customer(db_session, account_number)
    now = utcnow()
    credentials.set_password(
        db_session=db_session, customer=customer, password=body.password, now=now
    )
    record(
        db_session=db_session,
        event=Event.PASSWORD_SET,
        actor=Actor.api_key(request.state.api_key),
        now=now,
        customer=customer,
    )
    db_session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@provisioning.post(
    "/{account_number}/activation-codes",
    status_code=status.HTTP_201_CREATED,
    response_model=ActivationCodeOut,
    responses=NOT_FOUND,
)
def create_activation_code(
    account_number: AccountNumber,
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    keys: ServerKeysDep,
) -> ActivationCodeOut:
    customer = _customer(db_session, account_number)
    now = utcnow()
    new = credentials.create_activation_code(
        db_session=db_session,
        keys=keys,
        customer=customer,
        now=now,
        lifetime=timedelta(days=settings.activation_code_days),
    )
    record(
        db_session=db_session,
        event=Event.ACTIVATION_CODE_CREATED,
        actor=Actor.api_key(request.state.api_key),
        now=now,
        customer=customer,
        expires_at=new.activation_code.expires_at,
    )
    db_session.commit()
    return ActivationCodeOut(code=new.code, expires_at=new.activation_code.expires_at)


router.include_router(provisioning)
