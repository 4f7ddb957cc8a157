"""The gate every premium action passes: `gate.require("cleanup")`.

It holds at most two verified entitlements:

- the subscription, recognised at login and refreshed whenever the server is reachable. It
  stays usable while its token is valid and, offline, for a grace period (7 days unless
  configured) after its last successful refresh, so a customer whose internet is down keeps
  the premium checks that help them find out why;
- the session unlock, from a code an agent gave (a server-signed token) or from an offline
  code. It lives in memory only and ends with `end_session()` or the app: a new gate never
  has one.

Tokens are verified with the keys of a `KeySet` (the assistant's `TrustedKeys`), asked
for the keys valid at the moment of each verification, so a retired key stops verifying
by itself once its tokens can have expired. Free features are always allowed. The gate is
safe to call from several threads at once (pywebview and FastAPI both do). It does no I/O;
the app keeps the subscription token in a `SubscriptionStore` and hands it over at start.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict

from assistant.premium.errors import FeatureLocked, WrongTokenSource
from isp_common.clock import Clock, as_utc, utc_now
from isp_common.entitlements import (
    CLOCK_SKEW,
    EntitlementClaims,
    EntitlementSource,
    verify_entitlement,
)
from isp_common.errors import WrongDevice
from isp_common.features import Tier, feature_ids_for_tier, find_feature
from isp_common.offline_codes import OfflineCodeUse

DEFAULT_OFFLINE_GRACE = timedelta(days=7)
DEFAULT_OFFLINE_SESSION = timedelta(hours=12)
SESSION_SOURCES = frozenset({EntitlementSource.AGENT_CODE, EntitlementSource.OFFLINE_CODE})


class LockReason(StrEnum):
    UNKNOWN_FEATURE = "unknown_feature"  # not in this version's catalogue
    NO_ENTITLEMENT = "no_entitlement"  # neither a subscription nor a session unlock
    EXPIRED = "expired"  # there was one, but its time (and the offline grace) is over
    TIER_TOO_LOW = "tier_too_low"  # e.g. a premium_plus feature with premium
    NOT_INCLUDED = "not_included"  # the tier has it, but the server left it out


@dataclass(frozen=True)
class _Held:
    claims: EntitlementClaims
    usable_until: datetime

    def usable(self, now: datetime) -> bool:
        return self.claims.issued_at - CLOCK_SKEW <= now < self.usable_until


class KeySet(Protocol):
    """The server's keys a token may be verified with (TrustedKeys, PublishedKeys)."""

    def verification_keys(self, now: datetime) -> Mapping[str, Ed25519PublicKey]: ...


class _NoKeys:
    def verification_keys(self, now: datetime) -> Mapping[str, Ed25519PublicKey]:
        return {}


NO_KEYS: KeySet = _NoKeys()


class GateStatus(BaseModel):
    """What the UI shows: the tier in force, where it comes from, and until when."""

    model_config = ConfigDict(frozen=True)

    tier: Tier
    sources: tuple[EntitlementSource, ...]
    features: tuple[str, ...]
    usable_until: datetime | None
    session_active: bool


class PremiumGate:
    def __init__(
        self,
        *,
        device_id: str,
        keys: KeySet = NO_KEYS,
        clock: Clock = utc_now,
        offline_grace: timedelta = DEFAULT_OFFLINE_GRACE,
        offline_session: timedelta = DEFAULT_OFFLINE_SESSION,
    ) -> None:
        self.device_id = device_id
        self.offline_grace = offline_grace
        self.offline_session = offline_session
        self._clock = clock
        self._keys = keys
        self._lock = threading.Lock()
        self._subscription: _Held | None = None
        self._session: _Held | None = None

    def set_keys(self, keys: KeySet) -> None:
        """Verify tokens with this key set from now on."""
        with self._lock:
            self._keys = keys

    def set_subscription(self, token: str, *, refreshed_at: datetime) -> EntitlementClaims:
        """Hold the subscription token the server confirmed at `refreshed_at`.

        The token must have been valid then; afterwards it is usable until it expires or,
        whichever is later, until the offline grace after `refreshed_at` is over. Raises an
        EntitlementError for a token that unlocks nothing; the previous one is kept then.
        """
        now = self._clock()
        refreshed_at = min(as_utc(refreshed_at, name="refreshed_at"), now)
        with self._lock:
            keys = self._keys.verification_keys(refreshed_at)
            claims = verify_entitlement(token, keys, device_id=self.device_id, now=refreshed_at)
            if claims.source is not EntitlementSource.SUBSCRIPTION:
                raise WrongTokenSource(f"a {claims.source} token is not a subscription")
            usable_until = max(claims.expires_at, refreshed_at + self.offline_grace)
            self._subscription = _Held(claims, usable_until)
            return claims

    def clear_subscription(self) -> None:
        with self._lock:
            self._subscription = None

    def start_session(self, token: str) -> EntitlementClaims:
        """Unlock this session with a token the server issued for an agent's code."""
        with self._lock:
            now = self._clock()
            keys = self._keys.verification_keys(now)
            claims = verify_entitlement(token, keys, device_id=self.device_id, now=now)
            if claims.source not in SESSION_SOURCES:
                raise WrongTokenSource("a subscription token cannot start a session")
            self._session = _Held(claims, claims.expires_at)
            return claims

    def start_offline_session(
        self, use: OfflineCodeUse, *, account_number: str
    ) -> EntitlementClaims:
        """Unlock premium for this session after OfflineCodeVerifier accepted a code."""
        if use.device_id != self.device_id:
            raise WrongDevice(f"the code was for device {use.device_id}")
        claims = EntitlementClaims(
            account_number=account_number,
            device_id=self.device_id,
            tier=Tier.PREMIUM,
            features=feature_ids_for_tier(Tier.PREMIUM),
            source=EntitlementSource.OFFLINE_CODE,
            issued_at=use.used_at,
            expires_at=use.used_at + self.offline_session,
        )
        with self._lock:
            self._session = _Held(claims, claims.expires_at)
        return claims

    def end_session(self) -> None:
        """Forget the session unlock (the app calls this when it closes)."""
        with self._lock:
            self._session = None

    close = end_session

    def allows(self, feature_id: str, now: datetime | None = None) -> bool:
        return self._decide(feature_id, now)[1] is None

    def require(self, feature_id: str, now: datetime | None = None) -> EntitlementClaims | None:
        """The entitlement that allows the feature (None for a free one), or FeatureLocked."""
        claims, reason = self._decide(feature_id, now)
        if reason is not None:
            raise FeatureLocked(feature_id, reason)
        return claims

    def status(self, now: datetime | None = None) -> GateStatus:
        now = self._now(now)
        held = [entry for entry in self._held() if entry.usable(now)]
        features: set[str] = set(feature_ids_for_tier(Tier.NONE))
        for entry in held:
            features.update(entry.claims.features)
        return GateStatus(
            tier=max((e.claims.tier for e in held), key=lambda t: t.rank, default=Tier.NONE),
            sources=tuple(entry.claims.source for entry in held),
            features=tuple(sorted(features)),
            usable_until=max((entry.usable_until for entry in held), default=None),
            session_active=any(entry.claims.source in SESSION_SOURCES for entry in held),
        )

    def _decide(
        self, feature_id: str, now: datetime | None
    ) -> tuple[EntitlementClaims | None, LockReason | None]:
        now = self._now(now)
        feature = find_feature(feature_id)
        if feature is None:
            return None, LockReason.UNKNOWN_FEATURE
        if feature.is_free:
            return None, None
        held = [entry for entry in self._held() if entry.claims.tier is not Tier.NONE]
        if not held:
            return None, LockReason.NO_ENTITLEMENT
        usable = [entry for entry in held if entry.usable(now)]
        if not usable:
            return None, LockReason.EXPIRED
        for entry in usable:
            if feature_id in entry.claims.features:
                return entry.claims, None
        best = max(entry.claims.tier.rank for entry in usable)
        if best < feature.minimum_tier.rank:
            return None, LockReason.TIER_TOO_LOW
        return None, LockReason.NOT_INCLUDED

    def _held(self) -> list[_Held]:
        with self._lock:
            return [entry for entry in (self._session, self._subscription) if entry is not None]

    def _now(self, now: datetime | None) -> datetime:
        return self._clock() if now is None else as_utc(now, name="now")
