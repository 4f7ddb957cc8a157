"""Requests signed by a device's Ed25519 key (the scheme is in `isp_common.premium_wire`).

The signature covers method, path with query, a Unix timestamp and the body's SHA-256, so a
captured request cannot be changed, nor sent to another route, nor replayed after
`max_age` (5 minutes unless configured). Within that time a replay is possible in principle;
every signed route is safe to repeat: a code works once, a refresh only returns what the
device may have anyway, an offline-code report is stored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from agent_portal.devices.errors import (
    DeviceAuthMissing,
    DeviceClockWrong,
    DeviceSignatureInvalid,
)
from isp_common.i18n import N_
from isp_common.premium_wire import (
    DEVICE_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    decode_signature,
    request_signing_message,
)


@dataclass(frozen=True)
class SignedRequest:
    device_id: str
    timestamp: str
    signature: str
    method: str
    target: bytes  # path and query, exactly as sent
    body: bytes

    @classmethod
    def from_parts(
        cls, *, headers: Mapping[str, str], method: str, target: bytes, body: bytes
    ) -> SignedRequest:
        """Reads the three headers; DeviceAuthMissing names the ones that are missing."""
        values = {name: (headers.get(name) or "").strip() for name in _HEADERS}
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise DeviceAuthMissing(missing)
        return cls(
            device_id=values[DEVICE_ID_HEADER],
            timestamp=values[TIMESTAMP_HEADER],
            signature=values[SIGNATURE_HEADER],
            method=method,
            target=target,
            body=body,
        )

    def check_time(self, *, now: datetime, max_age_seconds: int) -> None:
        try:
            timestamp = int(self.timestamp)
        except ValueError:
            raise DeviceClockWrong(max_age_seconds) from None
        if abs(now.timestamp() - timestamp) > max_age_seconds:
            raise DeviceClockWrong(max_age_seconds)

    def verify(self, public_key: bytes) -> None:
        """DeviceSignatureInvalid unless the key signed exactly this request."""
        try:
            signature = decode_signature(self.signature)
        except ValueError as error:
            raise DeviceSignatureInvalid(str(error)) from None
        message = request_signing_message(
            method=self.method, target=self.target, timestamp=int(self.timestamp), body=self.body
        )
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            raise DeviceSignatureInvalid(
                N_("it does not match the device's key and this request (method, path, time, body)")
            ) from None


_HEADERS = (DEVICE_ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER)
