"""This computer's own key pair: made at first start, kept in the user's data directory.

The server binds the public key to the customer at link time; the device id is derived from
it (`isp_common.device_ids`), so entitlements name the device by its key. The private key
never leaves the computer; the assistant proves who it is by signing the server's challenge.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from assistant.premium.errors import DeviceKeyError
from isp_common.device_ids import device_id_for, raw_public_key
from isp_common.private_files import create_private_file, ensure_private_dir, read_private_file

logger = logging.getLogger(__name__)

KEY_FILE_NAME = "device-key.pem"


@dataclass(frozen=True, repr=False)
class DeviceKey:
    private_key: Ed25519PrivateKey
    path: Path

    @classmethod
    def load_or_create(cls, directory: Path) -> DeviceKey:
        """The device's key in `directory`, made there on first use (file 0600, dir 0700).

        A key file that others could read is narrowed to its owner and logged. A damaged
        key file raises DeviceKeyError instead of being replaced silently: a new key would
        be a new device, unlinked from the customer's account.
        """
        ensure_private_dir(Path(directory), logger=logger)
        path = Path(directory) / KEY_FILE_NAME
        if not path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
            if create_private_file(path, pem):
                logger.info(
                    "made this computer's key pair, device id %s", device_id_for(key.public_key())
                )
                return cls(key, path)
            # Another assistant process made it first; use that one.
        try:
            key = load_pem_private_key(read_private_file(path, logger=logger), password=None)
        except (OSError, ValueError, TypeError) as error:
            raise DeviceKeyError(f"cannot read {path}: {error}") from error
        if not isinstance(key, Ed25519PrivateKey):
            raise DeviceKeyError(f"{path} does not hold an Ed25519 key")
        return cls(key, path)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def device_id(self) -> str:
        return device_id_for(self.public_key)

    def public_key_base64(self) -> str:
        """The raw public key in standard base64, as sent to the server when linking."""
        return base64.b64encode(raw_public_key(self.public_key)).decode("ascii")

    def sign(self, challenge: bytes) -> bytes:
        """Sign the server's challenge, proving this is the linked computer."""
        if not isinstance(challenge, bytes) or not challenge:
            raise ValueError("the challenge must be non-empty bytes")
        return self.private_key.sign(challenge)

    def __repr__(self) -> str:  # never print the private key
        return f"DeviceKey(device_id={self.device_id!r}, path={str(self.path)!r})"
