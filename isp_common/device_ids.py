"""A device's id: derived from its Ed25519 public key, so the server computes the same id at
link time from the key the assistant sends, and nobody has to trust an id on its own."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# 16 bytes of SHA-256 in lower-case base32 without padding: 26 letters and digits 2-7.
DEVICE_ID_PATTERN = r"^[a-z2-7]{26}$"


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def device_id_for(public_key: Ed25519PublicKey | bytes) -> str:
    raw = public_key if isinstance(public_key, bytes) else raw_public_key(public_key)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    digest = hashlib.sha256(raw).digest()[:16]
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()
