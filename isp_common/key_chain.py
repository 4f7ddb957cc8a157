"""Which of the server's signing keys an assistant trusts: those its build pins, and those a
chain of endorsements links to a pinned key.

At a rotation the server signs, with the key it retires, a statement naming the new key
(`KeyEndorsement` on the new `PublishedKey`):

    isp-signing-key-endorsement-v1 \\n new key id \\n new public key (base64)
    \\n new key's created_at (UTC, microseconds) \\n id of the retiring key

and only then deletes the retiring key's private key. The new key's `created_at` is the
moment the signer was retired, so a verifier learns each retirement from a signed statement,
not from the unsigned `retired_at` (which can only make it earlier). A published key that no
chain links to a pinned key is not trusted, whoever wrote it into the set: the server
offering it, or anyone who can edit the copy an assistant keeps in its data folder.

A key listed as revoked (in the build) is neither trusted nor followed: after a key has
leaked, its holder could endorse keys of their own with it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from pydantic import BaseModel, ConfigDict, Field, field_validator

from isp_common.clock import as_utc
from isp_common.entitlements import (
    KEY_ID_PATTERN,
    MAX_TOKEN_LIFETIME,
    KeyEndorsement,
    PublishedKey,
    PublishedKeys,
)

_ENDORSEMENT_PREFIX = b"isp-signing-key-endorsement-v1"


class PinnedKey(BaseModel):
    """A public key an assistant's build trusts from the start."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_id: str = Field(pattern=KEY_ID_PATTERN)
    public_key: str = Field(description="the raw 32-byte Ed25519 public key, standard base64")

    @field_validator("public_key")
    @classmethod
    def _is_ed25519_key(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("public_key is not base64") from None
        if len(raw) != 32:
            raise ValueError("public_key must be the 32 raw bytes of an Ed25519 public key")
        return value

    @classmethod
    def of(cls, key: PublishedKey) -> PinnedKey:
        return cls(key_id=key.key_id, public_key=key.public_key)

    def load(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))


def _utc_text(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def endorsement_message(key: PublishedKey, *, signed_by: str) -> bytes:
    """What the retiring key `signed_by` signs about its successor `key`."""
    return b"\n".join(
        (
            _ENDORSEMENT_PREFIX,
            key.key_id.encode("ascii"),
            key.public_key.encode("ascii"),
            _utc_text(key.created_at).encode("ascii"),
            signed_by.encode("ascii"),
        )
    )


def endorse(key: PublishedKey, *, signer_id: str, signer: Ed25519PrivateKey) -> PublishedKey:
    """`key` with the endorsement of the key it succeeds (the server, at a rotation)."""
    signature = signer.sign(endorsement_message(key, signed_by=signer_id))
    endorsement = KeyEndorsement(
        signed_by=signer_id, signature=base64.b64encode(signature).decode("ascii")
    )
    return key.model_copy(update={"endorsement": endorsement})


def _endorsed_by(key: PublishedKey, signer: Ed25519PublicKey) -> bool:
    endorsement = key.endorsement
    if endorsement is None:
        return False
    message = endorsement_message(key, signed_by=endorsement.signed_by)
    try:
        signer.verify(base64.b64decode(endorsement.signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class TrustedKey:
    key_id: str
    public_key: Ed25519PublicKey
    retired_at: datetime | None
    verifies: bool  # False: pinned or in the history, but not (any more) published to verify

    def verifies_at(self, now: datetime) -> bool:
        if not self.verifies:
            return False
        return self.retired_at is None or as_utc(now) < self.retired_at + MAX_TOKEN_LIFETIME


@dataclass(frozen=True)
class TrustedKeys:
    """The keys an assistant verifies tokens with; `verification_keys(now)` is what the gate
    asks for at each verification."""

    keys: dict[str, TrustedKey]
    current_key_id: str | None  # the server's current key, if it is trusted

    def verification_keys(self, now: datetime) -> dict[str, Ed25519PublicKey]:
        return {key_id: key.public_key for key_id, key in self.keys.items() if key.verifies_at(now)}

    @property
    def trusts_current_key(self) -> bool:
        return self.current_key_id is not None


def follow_chain(
    published: PublishedKeys | None,
    pinned: Sequence[PinnedKey],
    *,
    revoked: Collection[str] = (),
) -> TrustedKeys:
    """The keys of `published` that a chain of valid endorsements links to a pinned key,
    with each retirement taken from its successor's endorsement. Without a published set
    (nothing fetched yet), the pinned keys alone."""
    anchors = {key.key_id: key.load() for key in pinned if key.key_id not in revoked}
    if published is None:
        keys = {key_id: TrustedKey(key_id, key, None, True) for key_id, key in anchors.items()}
        return TrustedKeys(keys, None)
    listed = {key.key_id: key for key in (*published.keys, *published.history)}
    trusted, retired = _linked(listed.values(), anchors, revoked)
    verifying = {key.key_id for key in published.keys}
    keys = {}
    for key_id, public_key in trusted.items():
        retired_at = _earliest(retired.get(key_id), _unsigned_retirement(listed.get(key_id)))
        keys[key_id] = TrustedKey(key_id, public_key, retired_at, key_id in verifying)
    current = published.current_key_id if published.current_key_id in trusted else None
    return TrustedKeys(keys, current)


def _linked(
    listed: Iterable[PublishedKey],
    anchors: dict[str, Ed25519PublicKey],
    revoked: Collection[str],
) -> tuple[dict[str, Ed25519PublicKey], dict[str, datetime]]:
    """The anchors and every listed key endorsed by a key trusted before it, and when each
    endorser was retired. A key whose id is trusted already (a pinned key, say) is never
    replaced by what the set says about it."""
    trusted = dict(anchors)
    retired: dict[str, datetime] = {}
    waiting = [key for key in listed if key.key_id not in trusted and key.key_id not in revoked]
    progress = True
    while waiting and progress:
        progress = False
        for key in list(waiting):
            endorsement = key.endorsement
            signer = trusted.get(endorsement.signed_by) if endorsement else None
            if signer is None or not _endorsed_by(key, signer):
                continue
            waiting.remove(key)
            trusted[key.key_id] = key.load()
            earlier = retired.get(endorsement.signed_by, key.created_at)
            retired[endorsement.signed_by] = min(earlier, key.created_at)
            progress = True
    return trusted, retired


def _unsigned_retirement(key: PublishedKey | None) -> datetime | None:
    return key.retired_at if key is not None else None


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [as_utc(moment) for moment in moments if moment is not None]
    return min(known, default=None)


def pinned_keys_of(published: PublishedKeys) -> tuple[PinnedKey, ...]:
    """What an assistant's build pins for this server: its current key."""
    current = next(key for key in published.keys if key.key_id == published.current_key_id)
    return (PinnedKey.of(current),)


__all__ = [
    "PinnedKey",
    "TrustedKey",
    "TrustedKeys",
    "endorse",
    "endorsement_message",
    "follow_chain",
    "pinned_keys_of",
]
