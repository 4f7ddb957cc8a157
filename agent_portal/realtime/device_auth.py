"""Who is at the other end of a device channel: the server sent a random nonce, the device
signed it with its private key, and the signature must verify with the public key the
server bound to that device at link time. The key the device sends in `hello` only helps
find the device; it is trusted only when it is the stored one.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent_portal.customers.models import Device
from isp_common.device_ids import device_id_for
from isp_common.live_wire import Hello, b64decode, challenge_payload


@dataclass(frozen=True)
class DeviceIdentity:
    id: str
    name: str
    customer_id: int
    account_number: str
    customer_name: str
    language: str


class DeviceRefused(Exception):
    """The device is not let in; `code` goes to the device, the text to the log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _find_device(db_session: Session, hello: Hello) -> Device | None:
    device = db_session.get(Device, hello.device_id)
    if device is not None and device.public_key:
        return device
    return db_session.scalar(select(Device).where(Device.public_key == hello.public_key).limit(1))


def authenticate(*, db_session: Session, hello: Hello, nonce: bytes) -> DeviceIdentity:
    """The device that signed `nonce`; DeviceRefused when there is none."""
    device = _find_device(db_session, hello)
    if device is None or not device.public_key or device.customer.is_erased:
        raise DeviceRefused("unknown_device", "This computer is not linked to a customer account.")
    try:
        public_key = Ed25519PublicKey.from_public_bytes(b64decode(device.public_key))
        signature = b64decode(hello.signature)
    except ValueError as error:
        raise DeviceRefused("bad_signature", f"unreadable key or signature: {error}") from None
    if hello.device_id not in (device.id, device_id_for(public_key)):
        raise DeviceRefused("bad_signature", "the device id does not belong to this key")
    try:
        public_key.verify(signature, challenge_payload(nonce))
    except InvalidSignature:
        raise DeviceRefused(
            "bad_signature", "The signature does not match this computer's key."
        ) from None
    customer = device.customer
    return DeviceIdentity(
        id=device.id,
        name=device.name,
        customer_id=customer.id,
        account_number=customer.account_number,
        customer_name=customer.name or "",
        language=customer.language,
    )
