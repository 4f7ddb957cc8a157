"""The provider profile kept in the data folder (`provider-profile.json`, owner-only), so
the checks use it from the first second of the next start, and offline.

The file is only a copy of what the server signed: it is verified each time it is read,
against the keys the build pins and those they endorsed, as the server's answer was. A copy
someone edited, or one signed by a key this assistant does not trust, is ignored (with a
line in the log): the checks then run as if no profile had arrived.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from assistant.premium.trusted_keys import TrustedKeyStore
from isp_common.entitlements import UtcDatetime
from isp_common.errors import ProfileRefused
from isp_common.private_files import ensure_private_dir, read_private_file, write_private_file
from isp_common.provider_profile import ProviderProfile, SignedProviderProfile, verify_profile

logger = logging.getLogger(__name__)

FILE_NAME = "provider-profile.json"


class StoredProfile(BaseModel):
    signed: SignedProviderProfile
    etag: str | None = None
    fetched_at: UtcDatetime


class ProfileStore:
    def __init__(self, directory: Path, keys: TrustedKeyStore) -> None:
        self._directory = Path(directory)
        self._path = self._directory / FILE_NAME
        self._keys = keys

    def verify(self, signed: SignedProviderProfile, now: datetime) -> ProviderProfile:
        """The profile, if a key trusted at `now` signed it; ProfileRefused otherwise."""
        return verify_profile(signed, self._keys.load().verification_keys(now))

    def load(self, now: datetime) -> tuple[StoredProfile, ProviderProfile] | None:
        """The kept copy and its verified profile, or None (none kept, or not genuine)."""
        try:
            stored = StoredProfile.model_validate_json(read_private_file(self._path, logger=logger))
            return stored, self.verify(stored.signed, now)
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ProfileRefused) as error:
            logger.warning("%s not used: %s", FILE_NAME, error)
            return None

    def save(self, stored: StoredProfile) -> None:
        ensure_private_dir(self._directory, logger=logger)
        write_private_file(self._path, stored.model_dump_json().encode())
