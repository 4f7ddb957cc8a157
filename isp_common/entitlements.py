"""Entitlements: which premium features one device may use, as tokens the server signs.

Token format (ASCII, two parts, base64url without "=" padding):

    base64url(claims as JSON) "." base64url(Ed25519 signature, 64 bytes)

The signature covers the exact ASCII bytes of the first part, so verifying never depends on
how JSON is re-serialised. Both parts must be canonical base64url: any other spelling of the
same bytes is refused, so every token has exactly one valid form and a changed character
always unlocks nothing. The claims name their signing key (`key_id`); the verifier picks it
from the server's published keys (`PublishedKeys`, served at GET /api/v1/entitlements/keys).

No token lives longer than `MAX_TOKEN_LIFETIME` (from `issued_at` to `expires_at`); the
verifier refuses a longer one. That bound is what makes a key rotation revoke: a key retired
at a rotation signs nothing valid after `retired_at + MAX_TOKEN_LIFETIME`, so from then on
it is no longer published for verifying (`PublishedKeys.pruned`) and no verifier uses it
(`PublishedKeys.verification_keys`). Which published keys an assistant trusts at all is
decided by `isp_common.key_chain`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from isp_common.clock import as_utc
from isp_common.device_ids import DEVICE_ID_PATTERN, raw_public_key
from isp_common.errors import (
    BadSignature,
    TokenExpired,
    TokenLifetimeTooLong,
    TokenMalformed,
    TokenNotYetValid,
    UnknownSigningKey,
    WrongDevice,
)
from isp_common.features import Tier

ALGORITHM = "Ed25519"
CLOCK_SKEW = timedelta(minutes=5)
# The longest a token may live. The server's subscription lifetime is capped by it; a
# leaked key, once rotated out, is useless this long after its retirement.
MAX_TOKEN_LIFETIME = timedelta(hours=72)
MAX_TOKEN_LENGTH = 8192
KEY_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
FEATURE_ID_PATTERN = r"^[a-z0-9_]{1,64}$"

UtcDatetime = Annotated[AwareDatetime, AfterValidator(as_utc)]


class EntitlementSource(StrEnum):
    SUBSCRIPTION = "subscription"
    AGENT_CODE = "agent_code"
    OFFLINE_CODE = "offline_code"


class EntitlementClaims(BaseModel):
    """What a token grants. Unknown fields from a newer server are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    account_number: str = Field(min_length=1, max_length=64)
    device_id: str = Field(pattern=DEVICE_ID_PATTERN)
    tier: Tier
    features: tuple[Annotated[str, Field(pattern=FEATURE_ID_PATTERN)], ...] = ()
    source: EntitlementSource
    issued_at: UtcDatetime
    expires_at: UtcDatetime
    key_id: str = Field(default="", max_length=64)
    jti: str = Field(default_factory=lambda: secrets.token_urlsafe(16), min_length=1, max_length=64)

    @model_validator(mode="after")
    def _expires_after_issue(self) -> EntitlementClaims:
        if self.expires_at <= self.issued_at:
            raise ValueError("expires_at must be after issued_at")
        return self


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(part: str, what: str) -> bytes:
    try:
        data = base64.b64decode(part + "=" * (-len(part) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise TokenMalformed(f"the {what} is not base64url") from None
    if _encode(data) != part:
        raise TokenMalformed(f"the {what} is not in canonical base64url")
    return data


def sign_entitlement(claims: EntitlementClaims, private_key: Ed25519PrivateKey, key_id: str) -> str:
    """The compact token for the claims, signed with the key named `key_id`."""
    if not re.fullmatch(KEY_ID_PATTERN, key_id):
        raise ValueError(f"not a valid key id: {key_id!r}")
    payload = _encode(claims.model_copy(update={"key_id": key_id}).model_dump_json().encode())
    signature = private_key.sign(payload.encode("ascii"))
    return f"{payload}.{_encode(signature)}"


def verify_entitlement(
    token: str,
    public_keys: Mapping[str, Ed25519PublicKey],
    *,
    device_id: str,
    now: datetime,
    clock_skew: timedelta = CLOCK_SKEW,
    max_lifetime: timedelta = MAX_TOKEN_LIFETIME,
) -> EntitlementClaims:
    """The token's claims, if it is genuine, for this device and valid at `now`.

    Raises a subclass of EntitlementError otherwise; nothing in an unverified token is
    returned or trusted. `clock_skew` tolerates a device clock a little behind the server's.
    A token meant to live longer than `max_lifetime` is refused however it is signed.
    """
    now = as_utc(now, name="now")
    if not isinstance(token, str) or not token.isascii() or len(token) > MAX_TOKEN_LENGTH:
        raise TokenMalformed("not a short ASCII string")
    payload_part, dot, signature_part = token.partition(".")
    if not dot or "." in signature_part or not payload_part:
        raise TokenMalformed("not two parts separated by one dot")
    payload = _decode(payload_part, "claims part")
    signature = _decode(signature_part, "signature part")
    if len(signature) != 64:
        raise TokenMalformed("the signature does not have 64 bytes")
    try:
        raw = json.loads(payload)
    except (UnicodeDecodeError, ValueError):
        raise TokenMalformed("the claims are not JSON") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("key_id"), str):
        raise TokenMalformed("the claims name no signing key")
    key = public_keys.get(raw["key_id"])
    if key is None:
        raise UnknownSigningKey(f"no public key {raw['key_id'][:64]!r}")
    try:
        key.verify(signature, payload_part.encode("ascii"))
    except InvalidSignature:
        raise BadSignature("the signature does not match the claims") from None
    try:
        claims = EntitlementClaims.model_validate(raw)
    except ValidationError as error:
        # Genuinely signed but not claims this version understands: a server bug.
        raise TokenMalformed(f"the claims are invalid: {error}") from None
    if claims.expires_at - claims.issued_at > max_lifetime:
        raise TokenLifetimeTooLong(
            f"lives {claims.expires_at - claims.issued_at}, longer than {max_lifetime}"
        )
    if claims.device_id != device_id:
        raise WrongDevice(f"issued for device {claims.device_id}")
    if claims.issued_at > now + clock_skew:
        raise TokenNotYetValid(f"issued at {claims.issued_at.isoformat()}")
    if now >= claims.expires_at:
        raise TokenExpired(f"expired at {claims.expires_at.isoformat()}")
    return claims


class KeyEndorsement(BaseModel):
    """A signing key's word for its successor, made at the rotation with the key being
    retired (see `isp_common.key_chain`)."""

    model_config = ConfigDict(frozen=True)

    signed_by: str = Field(pattern=KEY_ID_PATTERN, description="the key that was retired")
    signature: str = Field(description="Ed25519 signature, standard base64")

    @field_validator("signature")
    @classmethod
    def _is_signature(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("signature is not base64") from None
        if len(raw) != 64:
            raise ValueError("signature must be 64 raw bytes")
        return value


class PublishedKey(BaseModel):
    """One public key of the server, as served to assistants."""

    model_config = ConfigDict(frozen=True)

    key_id: str = Field(pattern=KEY_ID_PATTERN)
    algorithm: Literal["Ed25519"] = ALGORITHM
    public_key: str = Field(description="the raw 32-byte public key in standard base64")
    created_at: UtcDatetime
    retired_at: UtcDatetime | None = None
    # None for a server's first key: assistants pin that one in their build.
    endorsement: KeyEndorsement | None = None

    @field_validator("public_key")
    @classmethod
    def _is_ed25519_key(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("public_key is not base64") from None
        if len(raw) != 32:
            raise ValueError("public_key must be 32 raw bytes")
        return value

    @classmethod
    def from_key(
        cls,
        key_id: str,
        public_key: Ed25519PublicKey,
        *,
        created_at: datetime,
        retired_at: datetime | None = None,
    ) -> PublishedKey:
        encoded = base64.b64encode(raw_public_key(public_key)).decode("ascii")
        return cls(key_id=key_id, public_key=encoded, created_at=created_at, retired_at=retired_at)

    def load(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))

    def verifies_at(self, now: datetime) -> bool:
        """Whether a token signed with this key can still be valid at `now`."""
        return self.retired_at is None or as_utc(now, name="now") < (
            self.retired_at + MAX_TOKEN_LIFETIME
        )


class PublishedKeys(BaseModel):
    """The server's key set: the current signing key and the retired ones whose tokens may
    still be valid (`keys`), and older keys kept only so that assistants can follow the
    endorsements from the key their build pins to the current one (`history`): those
    verify no token."""

    model_config = ConfigDict(frozen=True)

    current_key_id: str = Field(pattern=KEY_ID_PATTERN)
    keys: tuple[PublishedKey, ...]
    history: tuple[PublishedKey, ...] = ()

    @model_validator(mode="after")
    def _current_is_listed(self) -> PublishedKeys:
        ids = [key.key_id for key in (*self.keys, *self.history)]
        if len(set(ids)) != len(ids):
            raise ValueError("key ids must be unique")
        if self.current_key_id not in [key.key_id for key in self.keys]:
            raise ValueError("current_key_id must be one of the keys")
        return self

    def verification_keys(self, now: datetime) -> dict[str, Ed25519PublicKey]:
        """The mapping `verify_entitlement` takes at `now`: the keys whose tokens may still
        be valid then (a key retired longer than MAX_TOKEN_LIFETIME ago is not among them)."""
        return {key.key_id: key.load() for key in self.keys if key.verifies_at(now)}

    def pruned(self, now: datetime) -> PublishedKeys:
        """The set as published at `now`: keys that verify nothing any more moved to history."""
        keep = tuple(key for key in self.keys if key.verifies_at(now))
        dropped = tuple(key for key in self.keys if not key.verifies_at(now))
        if not dropped:
            return self
        return self.model_copy(update={"keys": keep, "history": (*self.history, *dropped)})
