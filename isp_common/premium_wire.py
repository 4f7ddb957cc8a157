"""The premium API between the assistant and the server: request and answer bodies, the
error body, and how a linked device signs its requests. Both sides import this module, so
a field renamed on one side cannot go unnoticed on the other.

Routes (all JSON):

    POST /api/v1/devices/link                 LinkRequest -> LinkResponse       (signed*)
    POST /api/v1/devices/unlink               -> 204                            (device)
    POST /api/v1/devices/release              ReleaseRequest -> LinkResponse    (signed*)
    POST /api/v1/entitlements/refresh         -> RefreshResponse                (device)
    GET  /api/v1/entitlements/keys            -> PublishedKeys                  (open)
    POST /api/v1/unlock-codes/redeem          RedeemRequest -> EntitlementGrant (device)
    POST /api/v1/devices/offline-code-uses    OfflineCodeUseReport -> OfflineCodeUseAck
                                                                                (device)

"device": the request carries the three `X-Device-*` headers below, signed with the key of
a linked device. (*) The link and release requests are signed the same way with the key
they ask to link, which proves the assistant holds the private key of the public key it
sends.

A sign-in refused with `device_limit_reached` carries a `ReleaseOffer`: the customer's
linked computers and, when releasing one makes room, a ticket. With it, the computer that
was refused may release one of them and take its place (`ReleaseRequest`), once, within
minutes; the ticket works only for the key that signed the refused sign-in.

Every refusal is an `ApiErrorBody`: an English `detail` for logs and English readers, and
a stable `code` (see `ErrorCode`) the assistant turns into its own German or English text.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from isp_common.entitlements import EntitlementSource, PublishedKeys, UtcDatetime
from isp_common.features import Tier
from isp_common.offline_codes import OfflineCodeUse, OfflineCodeUseReport

__all__ = [
    "ApiErrorBody",
    "EntitlementGrant",
    "ErrorCode",
    "FieldProblem",
    "LinkRequest",
    "LinkResponse",
    "LinkedDevice",
    "OfflineCodeUse",
    "OfflineCodeUseAck",
    "OfflineCodeUseReport",
    "RedeemRequest",
    "RefreshResponse",
    "ReleaseOffer",
    "ReleaseRequest",
    "decode_signature",
    "device_request_headers",
    "encode_signature",
    "public_key_bytes",
    "request_signing_message",
]

LINK_PATH = "/api/v1/devices/link"
UNLINK_PATH = "/api/v1/devices/unlink"
RELEASE_PATH = "/api/v1/devices/release"
REFRESH_PATH = "/api/v1/entitlements/refresh"
KEYS_PATH = "/api/v1/entitlements/keys"
REDEEM_PATH = "/api/v1/unlock-codes/redeem"
OFFLINE_USES_PATH = "/api/v1/devices/offline-code-uses"

DEVICE_ID_HEADER = "X-Device-Id"
TIMESTAMP_HEADER = "X-Device-Timestamp"
SIGNATURE_HEADER = "X-Device-Signature"
_SIGNING_PREFIX = b"isp-device-request-v1"

Platform = Literal["windows", "macos", "linux"]


class ErrorCode(StrEnum):
    """The `code` of an error body. Codes are never renamed; new ones may be added."""

    REQUEST_INVALID = "request_invalid"  # a field is missing or malformed (422); `errors`
    SIGN_IN_FAILED = "sign_in_failed"  # account number, password or activation code wrong
    SIGN_IN_LOCKED = "sign_in_locked"  # too many failed sign-ins; `locked_until`
    DEVICE_LIMIT_REACHED = "device_limit_reached"  # `device_limit`, `linked_devices`, `release`
    DEVICE_LINKED_ELSEWHERE = "device_linked_elsewhere"  # bound to another customer
    DEVICE_AUTH_MISSING = "device_auth_missing"  # no or incomplete X-Device-* headers
    DEVICE_CLOCK_WRONG = "device_clock_wrong"  # timestamp more than 5 minutes off
    DEVICE_NOT_LINKED = "device_not_linked"  # unknown, or unlinked by an agent
    DEVICE_SIGNATURE_INVALID = "device_signature_invalid"
    CODE_FORMAT_INVALID = "code_format_invalid"  # not 8 digits: not counted as an attempt
    CODE_INVALID = "code_invalid"  # no such code for this customer; `attempts_left`
    CODE_EXPIRED = "code_expired"
    CODE_REVOKED = "code_revoked"
    CODE_ALREADY_USED = "code_already_used"
    TOO_MANY_ATTEMPTS = "too_many_attempts"  # unlock codes locked; `locked_until`
    OFFLINE_USE_OTHER_DEVICE = "offline_use_other_device"
    BODY_TOO_LARGE = "body_too_large"  # the request body is over the limit; `max_bytes`
    API_KEY_MISSING = "api_key_missing"  # provisioning API: no key sent
    API_KEY_INVALID = "api_key_invalid"  # provisioning API: unknown or revoked key
    CUSTOMER_NOT_FOUND = "customer_not_found"  # provisioning API: no such account number
    RELEASE_TICKET_INVALID = "release_ticket_invalid"  # unknown, used, expired, another key's
    RELEASE_DEVICE_UNKNOWN = "release_device_unknown"  # not a computer of the ticket's customer


class FieldProblem(BaseModel):
    """One thing wrong with a request (422): the field, e.g. `body.code` or
    `path.account_number`, and what is wrong with it."""

    field: str
    message: str


class LinkedDevice(BaseModel):
    """One of the customer's linked computers, as the customer may see it."""

    device_id: str
    name: str
    platform: str
    linked_at: UtcDatetime
    last_seen_at: UtcDatetime | None = None  # None: never seen since it was linked


class ReleaseOffer(BaseModel):
    """With `device_limit_reached`: the customer's tier and linked computers (the
    customer's own only), and the ticket that releases one of them for the refused
    computer. `ticket` is None when releasing one would not make room (more computers
    are linked than the tier allows, or it allows none): then only the hotline helps."""

    tier: Tier
    devices: tuple[LinkedDevice, ...]
    ticket: str | None = None
    expires_at: UtcDatetime | None = None


class ApiErrorBody(BaseModel):
    """The JSON body of every refusal of the server's JSON API, the premium API's and the
    provisioning API's alike."""

    model_config = ConfigDict(extra="ignore")

    detail: str
    code: str
    locked_until: UtcDatetime | None = None
    attempts_left: int | None = None
    device_limit: int | None = None
    linked_devices: tuple[str, ...] = ()
    release: ReleaseOffer | None = None
    max_bytes: int | None = None
    errors: tuple[FieldProblem, ...] = ()
    # The billing feed's acknowledgement: the ids no line has (nothing was stored).
    unknown_ids: tuple[int, ...] = ()


def public_key_bytes(value: str) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given in standard base64."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("public_key is not base64") from None
    if len(raw) != 32:
        raise ValueError("public_key must be the 32 raw bytes of an Ed25519 public key")
    return raw


def _printable(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    if not value.isprintable():
        raise ValueError("must not contain control characters")
    return value


class LinkRequest(BaseModel):
    """Sign-in in the assistant: binds this device's public key to the customer. Exactly
    one of `password` and `activation_code`."""

    model_config = ConfigDict(extra="forbid")

    account_number: str = Field(min_length=1, max_length=64)
    password: str | None = Field(default=None, min_length=1, max_length=256)
    activation_code: str | None = Field(default=None, min_length=1, max_length=64)
    device_name: str = Field(min_length=1, max_length=100)
    platform: Platform
    public_key: str = Field(description="the raw Ed25519 public key in standard base64")

    @field_validator("account_number", "device_name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return _printable(value)

    @field_validator("public_key")
    @classmethod
    def _ed25519_key(cls, value: str) -> str:
        public_key_bytes(value)
        return value

    @model_validator(mode="after")
    def _one_credential(self) -> LinkRequest:
        if (self.password is None) == (self.activation_code is None):
            raise ValueError("give either password or activation_code, not both or neither")
        return self


class ReleaseRequest(BaseModel):
    """Releases one of the customer's computers and links this one in its place, with the
    ticket of this computer's refused sign-in (no password again)."""

    model_config = ConfigDict(extra="forbid")

    ticket: str = Field(min_length=1, max_length=100)
    release_device_id: str = Field(
        min_length=1, max_length=64, description="the computer to release"
    )
    device_name: str = Field(min_length=1, max_length=100)
    platform: Platform
    public_key: str = Field(description="the raw Ed25519 public key in standard base64")

    @field_validator("device_name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return _printable(value)

    @field_validator("public_key")
    @classmethod
    def _ed25519_key(cls, value: str) -> str:
        public_key_bytes(value)
        return value


class EntitlementGrant(BaseModel):
    """A signed entitlement and what it grants, so the assistant need not parse the token
    to show it (it verifies the token all the same)."""

    token: str
    tier: Tier
    features: tuple[str, ...]
    source: EntitlementSource
    expires_at: UtcDatetime


class LinkResponse(BaseModel):
    account_number: str
    customer_name: str
    device_id: str
    device_name: str
    # Shown this once: the assistant keeps it to check offline codes (docs/offline-unlock.md).
    offline_secret: str
    keys: PublishedKeys
    # None when the customer has no active subscription: free features only.
    subscription: EntitlementGrant | None


class RefreshResponse(BaseModel):
    account_number: str
    keys: PublishedKeys
    subscription: EntitlementGrant | None
    server_time: UtcDatetime


class RedeemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=32, description="the 8 digits the agent read out")


class OfflineCodeUseAck(BaseModel):
    """The uses the server has stored; the assistant may forget them."""

    acknowledged: tuple[OfflineCodeUse, ...]


def request_signing_message(*, method: str, target: bytes, timestamp: int, body: bytes) -> bytes:
    """What a device signs: method, path with query (as sent, percent-encoded), the Unix
    time in seconds and the SHA-256 of the body, one per line."""
    return b"\n".join(
        (
            _SIGNING_PREFIX,
            method.upper().encode("ascii"),
            target,
            str(int(timestamp)).encode("ascii"),
            hashlib.sha256(body).hexdigest().encode("ascii"),
        )
    )


def encode_signature(signature: bytes) -> str:
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")


def decode_signature(value: str) -> bytes:
    """The signature bytes; ValueError when the header is not base64url of 64 bytes."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("the signature is not base64url") from None
    if len(raw) != 64:
        raise ValueError("an Ed25519 signature has 64 bytes")
    return raw


def device_request_headers(
    *,
    sign: Callable[[bytes], bytes],
    device_id: str,
    method: str,
    target: bytes,
    body: bytes,
    timestamp: int,
) -> dict[str, str]:
    """The three headers of a signed request; `sign` is the device key's sign method."""
    message = request_signing_message(method=method, target=target, timestamp=timestamp, body=body)
    return {
        DEVICE_ID_HEADER: device_id,
        TIMESTAMP_HEADER: str(int(timestamp)),
        SIGNATURE_HEADER: encode_signature(sign(message)),
    }
