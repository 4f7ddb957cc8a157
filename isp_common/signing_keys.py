"""The server's Ed25519 signing keys, kept in one directory only their owner can read.

    <directory>/keys.json      the published key set (PublishedKeys): public keys and dates
    <directory>/<key_id>.key   the private key of the current key (PKCS#8 PEM)

The first use creates a key; an assistant's build pins it (`agent-portal
assistant-build-config`). `rotate()` makes a new current key, has the old key endorse it
(`isp_common.key_chain`: assistants trust the new key because their pinned key vouched for
it), marks the old one retired and deletes its private key. The old public key stays
published for verifying until no token it signed can be valid any more (`retired_at +
MAX_TOKEN_LIFETIME`), then only in the history that links old pins to the current key.
Several server processes may share the directory: creation and rotation hold a file lock,
and each process notices a rotation by another one when `keys.json` changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
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
from pydantic import ValidationError

from isp_common.clock import Clock, utc_now
from isp_common.device_ids import raw_public_key
from isp_common.entitlements import (
    EntitlementClaims,
    PublishedKey,
    PublishedKeys,
    sign_entitlement,
)
from isp_common.errors import SigningKeyError
from isp_common.key_chain import endorse
from isp_common.private_files import (
    create_private_file,
    ensure_private_dir,
    read_private_file,
    write_private_file,
)

try:
    import fcntl
except ImportError:  # Windows: one server process per key directory
    fcntl = None

logger = logging.getLogger(__name__)

INDEX_NAME = "keys.json"


def key_id_for(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_key(public_key)).hexdigest()[:16]


class SigningKeyRing:
    def __init__(self, directory: Path, *, clock: Clock = utc_now) -> None:
        self.directory = Path(directory)
        self._clock = clock
        self._lock = threading.Lock()
        self._loaded_from: tuple[int, int, int] | None = None
        self._published: PublishedKeys
        self._private_key: Ed25519PrivateKey
        with self._lock, self._file_lock():
            if not self._index_path.exists():
                self._create_first_key()
            self._reload()

    @property
    def _index_path(self) -> Path:
        return self.directory / INDEX_NAME

    @property
    def current_key_id(self) -> str:
        return self._current()[0].current_key_id

    def public_keys(self) -> PublishedKeys:
        """The key set to publish as JSON; assistants parse it with PublishedKeys. A retired
        key whose tokens have all expired is in the history only."""
        return self._current()[0].pruned(self._clock())

    def sign(self, claims: EntitlementClaims) -> str:
        published, private_key = self._current()
        return sign_entitlement(claims, private_key, published.current_key_id)

    def sign_message(self, message: bytes) -> tuple[str, bytes]:
        """`message` signed with the current key: (the key's id, the signature). For the
        documents beside entitlements (the provider profile), each of which puts its own
        prefix before what it signs."""
        published, private_key = self._current()
        return published.current_key_id, private_key.sign(message)

    def rotate(self) -> str:
        """Make a new current key, endorsed by the old one, and return its id; the old public
        key stays published until its tokens have expired."""
        with self._lock, self._file_lock():
            self._reload()
            now = self._clock()
            old = self._published
            new_key = Ed25519PrivateKey.generate()
            new_id = key_id_for(new_key.public_key())
            self._write_private_key(new_id, new_key)
            retired = tuple(
                key.model_copy(update={"retired_at": now})
                if key.key_id == old.current_key_id
                else key
                for key in old.keys
            )
            entry = endorse(
                PublishedKey.from_key(new_id, new_key.public_key(), created_at=now),
                signer_id=old.current_key_id,
                signer=self._private_key,
            )
            published = PublishedKeys(
                current_key_id=new_id, keys=(*retired, entry), history=old.history
            ).pruned(now)
            write_private_file(self._index_path, published.model_dump_json(indent=2).encode())
            with contextlib.suppress(FileNotFoundError):
                (self.directory / f"{old.current_key_id}.key").unlink()
            self._reload()
            logger.info("rotated the entitlement signing key: %s -> %s", old.current_key_id, new_id)
            return new_id

    def _current(self) -> tuple[PublishedKeys, Ed25519PrivateKey]:
        with self._lock:
            if self._index_signature() != self._loaded_from:
                with self._file_lock():
                    self._reload()
            return self._published, self._private_key

    def _index_signature(self) -> tuple[int, int, int] | None:
        try:
            status = self._index_path.stat()
        except FileNotFoundError:
            return None
        return (status.st_ino, status.st_mtime_ns, status.st_size)

    def _create_first_key(self) -> None:
        key = Ed25519PrivateKey.generate()
        key_id = key_id_for(key.public_key())
        self._write_private_key(key_id, key)
        entry = PublishedKey.from_key(key_id, key.public_key(), created_at=self._clock())
        published = PublishedKeys(current_key_id=key_id, keys=(entry,))
        write_private_file(self._index_path, published.model_dump_json(indent=2).encode())
        logger.info("created the entitlement signing key %s in %s", key_id, self.directory)

    def _write_private_key(self, key_id: str, key: Ed25519PrivateKey) -> None:
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        if not create_private_file(self.directory / f"{key_id}.key", pem):
            raise SigningKeyError(f"a key file {key_id}.key exists already")

    def _reload(self) -> None:
        signature = self._index_signature()
        try:
            published = PublishedKeys.model_validate_json(
                read_private_file(self._index_path, logger=logger)
            )
            key_path = self.directory / f"{published.current_key_id}.key"
            private_key = load_pem_private_key(
                read_private_file(key_path, logger=logger), password=None
            )
        except (OSError, ValidationError, ValueError) as error:
            raise SigningKeyError(
                f"cannot load the signing keys in {self.directory}: {error}"
            ) from error
        if not isinstance(private_key, Ed25519PrivateKey):
            raise SigningKeyError(f"{key_path} is not an Ed25519 key")
        if key_id_for(private_key.public_key()) != published.current_key_id:
            raise SigningKeyError(f"{key_path} does not match its published public key")
        self._published = published
        self._private_key = private_key
        self._loaded_from = signature

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        ensure_private_dir(self.directory, logger=logger)
        if fcntl is None:
            yield
            return
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
