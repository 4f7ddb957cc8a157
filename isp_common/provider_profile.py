"""The provider profile: what the assistant's checks need to know about the ISP (its mail
servers, the internet test endpoints it runs, the names to look up, its routers' defaults,
its hotline's phone number), published by the server and signed with its signing key.

Wire form, `GET /api/v1/provider-profile` (open to everyone: nothing in it is secret):

    {"profile": "<base64url of the profile's JSON>", "key_id": "<signing key>",
     "signature": "<base64url of the Ed25519 signature, 64 bytes>"}

The signature covers ``isp-provider-profile-v1 \\n <the profile part, ASCII>``: the exact
bytes sent, so verifying never depends on how JSON is re-serialised, and the prefix keeps a
profile's signature from ever passing as an entitlement's or an endorsement's (the same
key signs all three). Both parts must be canonical base64url, so a changed character always
fails. The verifier takes the keys it trusts at that moment (`isp_common.key_chain`: the
keys the assistant's build pins, and those they endorsed): a profile signed by any other
key, or changed after signing, is refused, whoever wrote it (the network, or someone
editing the copy an assistant keeps).

`version` rises only when a field changes meaning; a newer server may add fields, which an
older assistant ignores. A profile of a newer version is refused (`ProfileMalformed`): the
assistant keeps what it had rather than misreading it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from isp_common.entitlements import KEY_ID_PATTERN, UtcDatetime
from isp_common.errors import ProfileKeyUnknown, ProfileMalformed, ProfileSignatureInvalid

PROVIDER_PROFILE_PATH = "/api/v1/provider-profile"
PROFILE_VERSION = 1
MAX_PROFILE_LENGTH = 64 * 1024
_SIGNING_PREFIX = b"isp-provider-profile-v1\n"
_HOST_NAME = re.compile(
    r"^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)

DEFAULT_MAIL_PORTS = {
    ("imap", "ssl"): 993,
    ("imap", "starttls"): 143,
    ("imap", "none"): 143,
    ("pop3", "ssl"): 995,
    ("pop3", "starttls"): 110,
    ("pop3", "none"): 110,
    ("smtp", "ssl"): 465,
    ("smtp", "starttls"): 587,
    ("smtp", "none"): 25,
}


def check_host(value: str) -> str:
    """A host name or an IP address, as a program connects to it; ValueError otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not _HOST_NAME.fullmatch(text):
        raise ValueError(f"{value!r} is not a host name or an IP address")
    return text


Host = Annotated[str, AfterValidator(check_host)]


class MailServer(BaseModel):
    """One of the ISP's mail servers, as customers enter it in their mail program."""

    protocol: Literal["imap", "pop3", "smtp"]
    host: Host
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "ssl"

    @model_validator(mode="after")
    def _default_port(self) -> MailServer:
        if self.port is None:
            self.port = DEFAULT_MAIL_PORTS[(self.protocol, self.security)]
        return self


class Endpoint(BaseModel):
    """A host and TCP port on the internet that answers connections."""

    model_config = ConfigDict(frozen=True)

    host: Host
    port: int = Field(ge=1, le=65535)

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        """ "speedtest.example-isp.de:443", "192.0.2.1:443" or "[2001:db8::1]:443"."""
        value = text.strip()
        if value.startswith("["):
            host, bracket, port = value[1:].partition("]:")
        else:
            host, bracket, port = value.rpartition(":")
        if not bracket or not port.isdigit() or (":" in host and not value.startswith("[")):
            raise ValueError(f"{text!r} is not host:port (an IPv6 address in brackets)")
        return cls(host=host, port=int(port))

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _admin_page(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s]*)?", value):
        raise ValueError(f"{value!r} is not an http:// or https:// address")
    return value


class RouterDefaults(BaseModel):
    """The routers the ISP hands out, as they come out of the box."""

    model_config = ConfigDict(frozen=True)

    address: Host | None = None
    admin_page: Annotated[str | None, AfterValidator(_admin_page)] = None


class ProviderProfile(BaseModel):
    """What the assistant's checks test against. Empty fields say nothing: the assistant
    keeps its own values for them."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    version: int = PROFILE_VERSION
    name: str = Field(default="", max_length=100)
    hotline_phone: str = Field(default="", max_length=40, pattern=r"^(\+?[0-9][0-9 ()/.-]*)?$")
    mail_servers: tuple[MailServer, ...] = ()
    internet_endpoints: tuple[Endpoint, ...] = ()
    dns_test_names: tuple[Host, ...] = ()
    router: RouterDefaults = RouterDefaults()
    issued_at: UtcDatetime

    @field_validator("version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value > PROFILE_VERSION:
            raise ValueError(
                f"profile version {value} is newer than this software understands "
                f"({PROFILE_VERSION})"
            )
        return value

    def fingerprint(self) -> str:
        """The same for the same settings, whenever signed: what an ETag is made of."""
        content = self.model_dump_json(exclude={"issued_at"}).encode()
        return hashlib.sha256(content).hexdigest()[:32]


class SignedProviderProfile(BaseModel):
    """The profile as the server sends it and the assistant keeps it."""

    model_config = ConfigDict(frozen=True)

    profile: str = Field(max_length=MAX_PROFILE_LENGTH)
    key_id: str = Field(pattern=KEY_ID_PATTERN)
    signature: str = Field(max_length=128)


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode(part: str, what: str) -> bytes:
    try:
        data = base64.b64decode(part + "=" * (-len(part) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ProfileMalformed(f"the {what} is not base64url") from None
    if _encode(data) != part:
        raise ProfileMalformed(f"the {what} is not in canonical base64url")
    return data


def _message(profile_part: str) -> bytes:
    return _SIGNING_PREFIX + profile_part.encode("ascii")


def sign_profile(
    profile: ProviderProfile, sign: Callable[[bytes], tuple[str, bytes]]
) -> SignedProviderProfile:
    """The wire form; `sign(message)` signs with the current key: (its id, the signature)."""
    part = _encode(profile.model_dump_json().encode())
    key_id, signature = sign(_message(part))
    return SignedProviderProfile(profile=part, key_id=key_id, signature=_encode(signature))


def verify_profile(
    signed: SignedProviderProfile, public_keys: Mapping[str, Ed25519PublicKey]
) -> ProviderProfile:
    """The profile, if one of `public_keys` signed exactly these bytes. Raises
    ProfileKeyUnknown, ProfileSignatureInvalid or ProfileMalformed otherwise; nothing of an
    unverified profile is returned."""
    key = public_keys.get(signed.key_id)
    if key is None:
        raise ProfileKeyUnknown(f"no trusted key {signed.key_id!r}")
    signature = _decode(signed.signature, "signature")
    if len(signature) != 64:
        raise ProfileMalformed("the signature does not have 64 bytes")
    content = _decode(signed.profile, "profile part")
    try:
        key.verify(signature, _message(signed.profile))
    except InvalidSignature:
        raise ProfileSignatureInvalid("the signature does not match the profile") from None
    try:
        return ProviderProfile.model_validate(json.loads(content))
    except (UnicodeDecodeError, ValueError, ValidationError) as error:
        # Genuinely signed but not a profile this version understands.
        raise ProfileMalformed(f"the profile is not valid: {error}") from None


__all__ = [
    "PROFILE_VERSION",
    "PROVIDER_PROFILE_PATH",
    "Endpoint",
    "MailServer",
    "ProviderProfile",
    "RouterDefaults",
    "SignedProviderProfile",
    "check_host",
    "sign_profile",
    "verify_profile",
]
