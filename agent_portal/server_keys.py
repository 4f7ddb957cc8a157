"""The server's own secrets, kept in `settings.data_dir/keys` with owner-only permissions:

- the Ed25519 keys that sign entitlements (`isp_common.signing_keys.SigningKeyRing`:
  `keys.json` and the current `<key_id>.key`);
- `local-secret.key`, 32 random bytes that never leave the server. They key the hashes of
  one-time codes (an 8-digit code has only 10^8 values, so a plain hash in a copied
  database could be reversed in seconds; without this secret it cannot) and encrypt the
  devices' offline-code secrets in the database (AES-256-GCM).

Both are made at first start. Several server hosts must share the directory (or a copy of
it), as they share the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from isp_common.clock import Clock, utc_now
from isp_common.errors import SigningKeyError
from isp_common.private_files import create_private_file, ensure_private_dir, read_private_file
from isp_common.signing_keys import SigningKeyRing

logger = logging.getLogger(__name__)

LOCAL_SECRET_NAME = "local-secret.key"
KEYS_DIR_NAME = "keys"
_SEALED_PREFIX = "v1."


class ServerKeys:
    @classmethod
    def in_data_dir(cls, data_dir: Path, *, clock: Clock = utc_now) -> ServerKeys:
        """The keys of a server whose settings name `data_dir`."""
        return cls(Path(data_dir) / KEYS_DIR_NAME, clock=clock)

    def __init__(self, directory: Path, *, clock: Clock = utc_now) -> None:
        self.directory = Path(directory)
        self.signing = SigningKeyRing(self.directory, clock=clock)
        self._secret = _load_or_create_secret(self.directory / LOCAL_SECRET_NAME)
        self._aead = AESGCM(hashlib.sha256(b"seal\0" + self._secret).digest())

    def fingerprint(self, purpose: str, value: str) -> str:
        """A keyed hash (HMAC-SHA256, hex) of `value`; `purpose` keeps uses apart."""
        message = purpose.encode() + b"\0" + value.encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def seal(self, plaintext: str, *, context: str) -> str:
        """`plaintext` encrypted; `context` (e.g. the row's id) must be given again to open
        it, so a sealed value copied to another row does not open there."""
        nonce = secrets.token_bytes(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return _SEALED_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def unseal(self, sealed: str, *, context: str) -> str | None:
        """The plaintext, or None when the value was not sealed with this secret and context."""
        if not sealed.startswith(_SEALED_PREFIX):
            return None
        try:
            raw = base64.b64decode(sealed[len(_SEALED_PREFIX) :], validate=True)
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (ValueError, InvalidTag):
            return None


def _load_or_create_secret(path: Path) -> bytes:
    ensure_private_dir(path.parent, logger=logger)
    if not path.exists() and create_private_file(path, secrets.token_bytes(32)):
        logger.info("created the server's local secret in %s", path.parent)
    secret = read_private_file(path, logger=logger)
    if len(secret) != 32:
        raise SigningKeyError(f"{path} is damaged: it should hold 32 bytes")
    return secret
