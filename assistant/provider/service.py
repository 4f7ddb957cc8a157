"""What the checks use now: the last verified provider profile, kept up to date.

    profiles = ProviderProfiles(data_dir, build)
    profiles.load_stored()                    # at once: the kept copy, if it still verifies
    profiles.refresh(server_url)              # then now and then, in the background
    profiles.diagnostics_settings()           # the checks' settings with the profile's values
    profiles.status()                         # what the page shows

A profile replaces the one in use only once its signature verifies against the keys the
build trusts (a new signing key is fetched and must link to a pinned one). Anything else
(no server, no answer, a refusal, a profile that does not verify) leaves the last good
profile in force, or, without one, the values set on this computer and the built-in
defaults; `status().failure` says what happened, until a refresh works again.
Safe to call from several threads.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path

import httpx
from pydantic import BaseModel, ConfigDict

from assistant.diagnostics.settings import DiagnosticsSettings
from assistant.premium.errors import PremiumError
from assistant.premium.trusted_keys import TrustedKeyStore
from assistant.provider.client import ProfileClient
from assistant.provider.overlay import ValueSource, value_sources, with_profile
from assistant.provider.store import ProfileStore, StoredProfile
from isp_common.assistant_build import BuildConfig
from isp_common.clock import Clock, utc_now
from isp_common.errors import ProfileKeyUnknown, ProfileRefused
from isp_common.provider_profile import ProviderProfile, SignedProviderProfile

logger = logging.getLogger(__name__)


class ProfileFailure(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime
    code: str  # e.g. "server_unreachable", "profile_signature_invalid", "server_not_trusted"


class ProfileStatus(BaseModel):
    """What the page shows about the provider profile."""

    model_config = ConfigDict(frozen=True)

    profile: ProviderProfile | None  # the verified profile in use, if any
    checked_at: datetime | None  # the last time the server confirmed or sent it
    failure: ProfileFailure | None  # the last refresh, if it did not work


class ProviderProfiles:
    def __init__(
        self,
        data_dir: Path,
        build: BuildConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._keys = TrustedKeyStore(Path(data_dir), build)
        self._store = ProfileStore(Path(data_dir), self._keys)
        self._transport = transport
        self._clock = clock
        self._lock = threading.Lock()
        self._profile: ProviderProfile | None = None
        self._etag: str | None = None
        self._checked_at: datetime | None = None
        self._failure: ProfileFailure | None = None

    @property
    def profile(self) -> ProviderProfile | None:
        return self._profile

    def load_stored(self) -> ProviderProfile | None:
        """Uses the kept copy if it still verifies; else none (the defaults apply)."""
        with self._lock:
            kept = self._store.load(self._clock())
            if kept is not None:
                stored, self._profile = kept
                self._etag, self._checked_at = stored.etag, stored.fetched_at
            return self._profile

    def refresh(self, server_url: str | None) -> bool:
        """Asks `server_url` for its profile; True when the profile in use changed."""
        if not server_url:
            return False
        with self._lock:
            before = self._profile
            try:
                with ProfileClient(server_url, self._transport) as client:
                    self._fetch(client)
            except (PremiumError, ProfileRefused) as error:
                logger.info("the provider profile was not taken: %s", error)
                self._failure = ProfileFailure(at=self._clock(), code=error.code)
                return False
            self._failure = None
            return _content(self._profile) != _content(before)

    def status(self) -> ProfileStatus:
        return ProfileStatus(
            profile=self._profile, checked_at=self._checked_at, failure=self._failure
        )

    def diagnostics_settings(self) -> DiagnosticsSettings:
        """The checks' settings now: this computer's, the profile's, the defaults."""
        return with_profile(DiagnosticsSettings(), self._profile)

    def value_sources(self) -> dict[str, ValueSource]:
        return value_sources(DiagnosticsSettings(), self._profile)

    def _fetch(self, client: ProfileClient) -> None:
        now = self._clock()
        answer = client.fetch_profile(self._etag if self._profile is not None else None)
        if answer is None:  # ours is current
            self._checked_at = now
            return
        signed, etag = answer
        profile = self._verified(signed, client, now)
        self._store.save(StoredProfile(signed=signed, etag=etag, fetched_at=now))
        self._profile, self._etag, self._checked_at = profile, etag, now

    def _verified(
        self, signed: SignedProviderProfile, client: ProfileClient, now: datetime
    ) -> ProviderProfile:
        """Verified with the keys trusted here; a key not known yet (the server rotated, or
        nothing was fetched so far) is fetched and must link to a key the build pins
        (ServerNotTrusted otherwise)."""
        try:
            return self._store.verify(signed, now)
        except ProfileKeyUnknown:
            self._keys.accept(client.fetch_keys())
            return self._store.verify(signed, now)


def _content(profile: ProviderProfile | None) -> str | None:
    return profile.fingerprint() if profile is not None else None
