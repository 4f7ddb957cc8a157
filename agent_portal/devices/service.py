"""Linking and unlinking devices, and finding the device behind a signed request.

Linking binds a device's Ed25519 public key to a customer, after the customer signed in
with a password or an activation code, within the tier's device limit. Functions take
`now`, flush and never commit: the route commits. A failed sign-in raises with its counted
failure and audit entry flushed, for the route to commit before it answers; a link refused
for want of a place raises `LinkRefused`, whose changes the route rolls back before it
stores the refusal with `record_refusal`. They return None when nothing is found.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from agent_portal.attempts import flows as attempt_flows
from agent_portal.attempts import service as attempts
from agent_portal.attempts.service import AttemptPolicy
from agent_portal.audit.service import Actor, record
from agent_portal.customers import service as customers
from agent_portal.customers.models import Customer, Device
from agent_portal.customers.schemas import normalise_account_number
from agent_portal.customers.tiers import subscription_status
from agent_portal.devices import credentials, tickets
from agent_portal.devices.audit_events import Event
from agent_portal.devices.errors import (
    DeviceLimitReached,
    DeviceLinkedElsewhere,
    DeviceNotLinked,
    DeviceSignatureInvalid,
    SignInFailed,
    SignInLocked,
)
from agent_portal.devices.models import DeviceSecret
from agent_portal.devices.signatures import SignedRequest
from agent_portal.server_keys import ServerKeys
from isp_common.device_ids import device_id_for
from isp_common.i18n import N_
from isp_common.offline_codes import new_device_secret
from isp_common.premium_wire import LinkedDevice, LinkRequest, public_key_bytes

# Writing last_seen_at on every request would turn each read into a write; to the minute is
# what the agent's "last seen 5 minutes ago" needs.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Linked:
    customer: Customer
    device: Device
    offline_secret: str  # for the link response only; stored sealed


def link(
    *,
    db_session: Session,
    keys: ServerKeys,
    link_request: LinkRequest,
    signed: SignedRequest,
    address: str,
    now: datetime,
    policy: AttemptPolicy,
    device_limits: dict[str, int],
    max_age_seconds: int,
    release_ticket_lifetime: timedelta,
) -> Linked:
    """Signs the customer in and links the device whose key signed the request. When every
    place is taken and releasing one makes room, the refusal carries a release ticket."""
    public_key = public_key_bytes(link_request.public_key)
    device_id = device_id_for(public_key)
    if signed.device_id != device_id:
        raise DeviceSignatureInvalid(N_("X-Device-Id is not the id of the public key sent"))
    signed.check_time(now=now, max_age_seconds=max_age_seconds)
    signed.verify(public_key)

    try:
        number = normalise_account_number(link_request.account_number)
    except ValueError:
        number = link_request.account_number.strip().upper()[:20]
    account_key = f"sign_in:account:{number}"
    limits = {account_key: policy, f"sign_in:address:{address}": policy}
    try:  # committed before the password is checked, so sign-ins in parallel count it
        reservation = attempt_flows.reserve_committed(db_session=db_session, limits=limits, now=now)
    except attempts.AttemptsUsedUp as used_up:
        raise SignInLocked(used_up.locked_until, now) from None

    customer = customers.get(db_session=db_session, account_number=number)
    method = "password" if link_request.password is not None else "activation_code"
    activation_code_id = None
    if link_request.password is not None:
        ok = credentials.password_matches(
            db_session=db_session, customer=customer, password=link_request.password
        )
    else:
        activation_code_id = credentials.use_activation_code(
            db_session=db_session,
            keys=keys,
            customer=customer,
            code=link_request.activation_code or "",
            now=now,
        )
        ok = activation_code_id is not None
    if not ok or customer is None:
        failure = attempts.record_failure(db_session=db_session, reservation=reservation)
        actor = Actor("device", link_request.device_name)
        common = {"db_session": db_session, "actor": actor, "now": now, "address": address}
        record(event=Event.SIGN_IN_FAILED, account_number=number, method=method, **common)
        if failure.locked_until is not None:
            record(
                event=Event.SIGN_IN_LOCKED,
                account_number=number,
                until=failure.locked_until,
                **common,
            )
        db_session.flush()
        if failure.locked_until is not None:
            raise SignInLocked(failure.locked_until, now)
        raise SignInFailed(failure.attempts_left)

    attempts.record_success(db_session=db_session, reservation=reservation, forget=[account_key])
    try:
        device, secret = attach(
            db_session=db_session,
            keys=keys,
            customer=customer,
            public_key=public_key,
            name=link_request.device_name,
            platform=link_request.platform,
            now=now,
            device_limits=device_limits,
        )
    except (DeviceLimitReached, DeviceLinkedElsewhere) as refusal:
        raise LinkRefused(
            refusal=refusal,
            reservation=reservation,
            customer=customer,
            device_id=device_id,
            device_name=link_request.device_name,
            activation_code_id=activation_code_id,
        ) from None
    record(
        db_session=db_session,
        event=Event.DEVICE_LINKED,
        actor=Actor.device(device),
        now=now,
        customer=customer,
        device_id=device.id,
        address=address,
        method=method,
        device_name=device.name,
    )
    db_session.flush()
    return Linked(customer=customer, device=device, offline_secret=secret)


class LinkRefused(Exception):
    """A right sign-in without a place for the device. What `link` changed is to be rolled
    back (the activation code stays unused) before `record_refusal` stores the refusal."""

    def __init__(
        self,
        *,
        refusal: DeviceLimitReached | DeviceLinkedElsewhere,
        reservation: attempts.Reservation,
        customer: Customer,
        device_id: str,
        device_name: str,
        activation_code_id: int | None,
    ) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal
        self.reservation = reservation
        self.customer = customer
        self.device_id = device_id
        self.device_name = device_name
        self.activation_code_id = activation_code_id


def record_refusal(
    *,
    db_session: Session,
    keys: ServerKeys,
    refused: LinkRefused,
    address: str,
    now: datetime,
    release_ticket_lifetime: timedelta,
) -> DeviceLimitReached | DeviceLinkedElsewhere:
    """After the rollback of a refused link: gives the attempt back (the sign-in was right,
    so the refusal is no failed attempt), offers a release ticket where releasing a device
    makes room, and audits the refusal. Returns the error to answer with."""
    attempts.release(db_session=db_session, reservation=refused.reservation)
    refusal = refused.refusal
    offer = None
    if isinstance(refusal, DeviceLimitReached) and refusal.releasable:
        offer = tickets.issue(
            db_session=db_session,
            keys=keys,
            customer=refused.customer,
            device_id=refused.device_id,
            activation_code_id=refused.activation_code_id,
            now=now,
            lifetime=release_ticket_lifetime,
        )
    record(
        db_session=db_session,
        event=Event.DEVICE_LINK_REFUSED,
        actor=Actor("device", refused.device_name),
        now=now,
        customer=refused.customer,
        device_id=refused.device_id,
        address=address,
        reason=refusal.code,
        release_ticket=offer is not None,
    )
    db_session.flush()
    if offer is not None:
        return refusal.with_ticket(offer.ticket, offer.expires_at)
    return refusal


def attach(
    *,
    db_session: Session,
    keys: ServerKeys,
    customer: Customer,
    public_key: bytes,
    name: str,
    platform: str,
    now: datetime,
    device_limits: dict[str, int],
) -> tuple[Device, str]:
    """Binds the key to the customer (within the device limit) with a fresh offline
    secret; a device linked already is renamed and gets a new secret. Does not commit."""
    device_id = device_id_for(public_key)
    device = db_session.get(Device, device_id)
    if device is not None and device.customer_id != customer.id:
        raise DeviceLinkedElsewhere()
    if device is None:
        # One link at a time per customer, so two at once cannot both take the last place
        # (PostgreSQL locks the row; SQLite has one writer anyway).
        db_session.execute(select(Customer.id).where(Customer.id == customer.id).with_for_update())
        linked = list(
            db_session.scalars(
                select(Device).where(Device.customer_id == customer.id).order_by(Device.linked_at)
            )
        )
        status = subscription_status(
            subscription=customer.subscription, device_limits=device_limits, now=now
        )
        if len(linked) >= status.device_limit:
            raise DeviceLimitReached(
                status.device_limit,
                status.effective_tier.value,
                [as_linked_device(other) for other in linked],
            )
        device = Device(
            id=device_id,
            customer_id=customer.id,
            public_key=base64.b64encode(public_key).decode("ascii"),
            linked_at=now,
        )
        db_session.add(device)
    device.name = name
    device.platform = platform
    device.last_seen_at = now
    secret = new_device_secret()
    stored = db_session.get(DeviceSecret, device_id) or DeviceSecret(device_id=device_id)
    stored.sealed_secret = keys.seal(secret, context=device_id)
    stored.created_at = now
    db_session.add(stored)
    db_session.flush()
    db_session.expire(customer, ["devices"])
    return device, secret


def as_linked_device(device: Device) -> LinkedDevice:
    return LinkedDevice(
        device_id=device.id,
        name=device.name,
        platform=device.platform,
        linked_at=device.linked_at,
        last_seen_at=device.last_seen_at,
    )


_LINKED_DEVICE = (
    select(Device).where(Device.id == bindparam("device_id")).options(joinedload(Device.customer))
)


def linked_device(
    *, db_session: Session, signed: SignedRequest, now: datetime, max_age_seconds: int
) -> Device:
    """The linked device that signed the request, with its customer loaded; raises
    DeviceClockWrong, DeviceNotLinked or DeviceSignatureInvalid otherwise."""
    signed.check_time(now=now, max_age_seconds=max_age_seconds)
    device = db_session.scalar(_LINKED_DEVICE, {"device_id": signed.device_id})
    if device is None or device.public_key is None or device.customer.is_erased:
        raise DeviceNotLinked()
    signed.verify(base64.b64decode(device.public_key))
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_RESOLUTION:
        device.last_seen_at = now
        db_session.flush()
    return device


def get_device(*, db_session: Session, customer: Customer, device_id: str) -> Device | None:
    device = db_session.get(Device, device_id)
    if device is None or device.customer_id != customer.id:
        return None
    return device


def offline_secret(*, db_session: Session, keys: ServerKeys, device: Device) -> str | None:
    """The device's offline-code secret; None for a device that never linked through the
    assistant (e.g. recorded by an import) or whose secret cannot be opened."""
    stored = db_session.get(DeviceSecret, device.id)
    if stored is None:
        return None
    return keys.unseal(stored.sealed_secret, context=device.id)


def unlink(
    *, db_session: Session, device: Device, actor: Actor, now: datetime, address: str | None = None
) -> None:
    """Removes the device from its customer; its offline secret goes with it."""
    customer = device.customer
    record(
        db_session=db_session,
        event=Event.DEVICE_UNLINKED,
        actor=actor,
        now=now,
        customer=customer,
        device_id=device.id,
        address=address,
        device_name=device.name,
    )
    db_session.delete(device)
    db_session.flush()
    db_session.expire(customer, ["devices"])


customers.add_erase_hook(credentials.forget)
customers.add_erase_hook(tickets.forget)
