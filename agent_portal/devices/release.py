"""Releasing one of the customer's computers for the one whose sign-in was refused because
every place was taken: with the release ticket of that refusal, in one transaction, the
chosen computer is unlinked and the refused one linked in its place.

The request is signed with the key being linked, as a link is, and the ticket works only
for that key. Refusals change nothing: an unknown, used, expired or another computer's
ticket (`ReleaseTicketInvalid`), a computer that is not the customer's
(`ReleaseDeviceUnknown`, the same answer whether it exists elsewhere or not at all). Adds
to the caller's transaction and does not commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.audit.service import Actor, record
from agent_portal.customers.models import Customer
from agent_portal.devices import tickets
from agent_portal.devices.audit_events import Event
from agent_portal.devices.errors import (
    DeviceSignatureInvalid,
    ReleaseDeviceUnknown,
    ReleaseTicketInvalid,
)
from agent_portal.devices.service import Linked, as_linked_device, attach, get_device
from agent_portal.devices.signatures import SignedRequest
from agent_portal.server_keys import ServerKeys
from isp_common.device_ids import device_id_for
from isp_common.i18n import N_
from isp_common.premium_wire import LinkedDevice, ReleaseRequest, public_key_bytes


@dataclass(frozen=True)
class Released:
    linked: Linked  # the computer linked in the released one's place
    released: LinkedDevice  # the computer released, as it was


def release_and_link(
    *,
    db_session: Session,
    keys: ServerKeys,
    release_request: ReleaseRequest,
    signed: SignedRequest,
    address: str,
    now: datetime,
    device_limits: dict[str, int],
    max_age_seconds: int,
) -> Released:
    public_key = public_key_bytes(release_request.public_key)
    device_id = device_id_for(public_key)
    if signed.device_id != device_id:
        raise DeviceSignatureInvalid(N_("X-Device-Id is not the id of the public key sent"))
    signed.check_time(now=now, max_age_seconds=max_age_seconds)
    signed.verify(public_key)

    ticket = tickets.find_usable(
        db_session=db_session,
        keys=keys,
        ticket=release_request.ticket,
        device_id=device_id,
        now=now,
    )
    # One change of the customer's devices at a time, as `attach` takes it (PostgreSQL
    # locks the row; SQLite has one writer anyway).
    customer = db_session.scalar(
        select(Customer).where(Customer.id == ticket.customer_id).with_for_update()
    )
    if customer is None or customer.is_erased:
        raise ReleaseTicketInvalid("unknown")
    old = get_device(
        db_session=db_session, customer=customer, device_id=release_request.release_device_id
    )
    if old is None:
        raise ReleaseDeviceUnknown(release_request.release_device_id)
    tickets.use(db_session=db_session, row=ticket, now=now)

    released = as_linked_device(old)
    actor = Actor.customer(customer)
    common = {"db_session": db_session, "actor": actor, "now": now, "customer": customer}
    record(
        event=Event.DEVICE_RELEASED,
        device_id=old.id,
        address=address,
        device_name=old.name,
        for_device_name=release_request.device_name,
        **common,
    )
    db_session.delete(old)
    db_session.flush()
    db_session.expire(customer, ["devices"])
    device, secret = attach(
        db_session=db_session,
        keys=keys,
        customer=customer,
        public_key=public_key,
        name=release_request.device_name,
        platform=release_request.platform,
        now=now,
        device_limits=device_limits,
    )
    record(
        event=Event.DEVICE_LINKED,
        device_id=device.id,
        address=address,
        method="release_ticket",
        device_name=device.name,
        released_device_name=released.name,
        **common,
    )
    db_session.flush()
    return Released(Linked(customer=customer, device=device, offline_secret=secret), released)
