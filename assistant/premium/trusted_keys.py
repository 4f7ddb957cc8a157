"""The server's signing keys as this assistant trusts them.

Trust starts from the keys the build pins (`assistant.build`). A key the server publishes is
trusted only when a chain of endorsements links it to a pinned key, and a retired one only
until its last tokens can have expired (`isp_common.key_chain`). The server's key set is
kept in the data folder (`server-keys.json`) so tokens verify offline, but only as a copy
of what the server said: it is checked against the pinned keys each time it is read, so
writing into it adds no trust.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import ValidationError

from assistant.premium.errors import ServerNotTrusted
from isp_common.assistant_build import BuildConfig
from isp_common.entitlements import PublishedKeys
from isp_common.key_chain import TrustedKeys, follow_chain
from isp_common.private_files import read_private_file, write_private_file

logger = logging.getLogger(__name__)

KEYS_FILE = "server-keys.json"


class TrustedKeyStore:
    def __init__(self, data_dir: Path, build: BuildConfig) -> None:
        self._path = Path(data_dir) / KEYS_FILE
        self._pinned = build.trusted_keys
        self._revoked = build.revoked_keys

    def load(self) -> TrustedKeys:
        """The trusted part of the kept copy (the pinned keys alone without one)."""
        return self._trusted(self._read())

    def accept(self, published: PublishedKeys) -> TrustedKeys:
        """Trusts what the server published as far as it links to a pinned key, and keeps
        the set. ServerNotTrusted when the server's current key does not: its tokens would
        unlock nothing, and it is not the ISP's server or not set up as the build expects."""
        trusted = self._trusted(published)
        if not trusted.trusts_current_key:
            raise ServerNotTrusted(
                f"the server's key {published.current_key_id} is not linked to a key "
                f"this assistant pins ({', '.join(k.key_id for k in self._pinned) or 'none'})"
            )
        write_private_file(self._path, published.model_dump_json().encode())
        return trusted

    def _trusted(self, published: PublishedKeys | None) -> TrustedKeys:
        return follow_chain(published, self._pinned, revoked=self._revoked)

    def _read(self) -> PublishedKeys | None:
        try:
            return PublishedKeys.model_validate_json(read_private_file(self._path, logger=logger))
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as error:
            logger.warning("%s unreadable, ignored: %s", self._path.name, error)
            return None
