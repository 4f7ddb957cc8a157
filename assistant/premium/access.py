"""Premium for one launch of the assistant: may this check run and show, may this action go
ahead, and if not, why. The window's local API and the command line both ask here.

    access = PremiumAccess(data_dir, servers, build)   # assistant.build: the installation's
    access.service.load_stored()              # at once: the first run knows the subscription
    access.service.refresh()                  # then, in the background
    access.require("cleanup")                 # FeatureLocked with `lock` (reason and text)
    access.check_lock(check_id, category, premium)   # None, or the Lock of its feature
    access.use_server(url)                    # one of `servers.allowed`, or ServerNotAllowed
    access.close()                            # the app closes: a code's unlock ends

    stored_subscription_gate(data_dir, build) # the command line: what is stored, nothing else

Which feature a check needs is decided in `assistant.diagnostics.catalogue` alone. Reasons
are the gate's (`LockReason`) plus `token_invalid`: the stored subscription was refused
because it was changed or belongs to another computer, and the customer hears exactly that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.build import Servers
from assistant.diagnostics.catalogue import premium_feature
from assistant.premium import texts
from assistant.premium.errors import FeatureLocked, WrongTokenSource
from assistant.premium.gate import LockReason, PremiumGate
from assistant.premium.service import PremiumService
from assistant.premium.subscription_store import FILE_NAME as SUBSCRIPTION_FILE
from isp_common import errors as common_errors
from isp_common.assistant_build import BuildConfig
from isp_common.features import Tier

if TYPE_CHECKING:
    from assistant.premium.cleanup.runner import CleanupRunner

TOKEN_INVALID = "token_invalid"
# Notices that mean "there was a subscription, but its token unlocks nothing here".
TOKEN_PROBLEMS = frozenset(
    {
        common_errors.TokenMalformed.code,
        common_errors.BadSignature.code,
        common_errors.WrongDevice.code,
        common_errors.UnknownSigningKey.code,
        common_errors.TokenNotYetValid.code,
        common_errors.TokenLifetimeTooLong.code,
        WrongTokenSource.code,
    }
)


@dataclass(frozen=True)
class Lock:
    """Why a feature is locked right now."""

    feature_id: str
    reason: str  # a LockReason, or TOKEN_INVALID
    notice: str | None = None  # the error code behind TOKEN_INVALID

    @property
    def text(self) -> str:
        """The customer's sentence, in the current language."""
        if self.reason == TOKEN_INVALID and self.notice:
            return texts.text_for_code(self.notice)
        return texts.lock_reason_text(self.reason)


def lock_of(gate: PremiumGate, feature_id: str, notice: str | None = None) -> Lock | None:
    try:
        gate.require(feature_id)
    except FeatureLocked as locked:
        reason = locked.reason
        if reason == LockReason.NO_ENTITLEMENT and notice in TOKEN_PROBLEMS:
            reason = TOKEN_INVALID
        return Lock(feature_id, reason, notice)
    return None


def check_lock_of(
    gate: PremiumGate, check_id: str, category: str, premium: bool, notice: str | None = None
) -> Lock | None:
    feature_id = premium_feature(check_id, category, premium)
    return None if feature_id is None else lock_of(gate, feature_id, notice)


def stored_subscription_gate(data_dir: Path, build: BuildConfig) -> tuple[PremiumGate, str | None]:
    """The gate as the stored subscription alone opens it, and the notice if it was refused.

    For the command line: it never asks the server and holds no session unlock (a code an
    agent reads out unlocks the window it was typed into, nothing else). Without a stored
    subscription nothing is opened, so no key is made for a computer never signed in.
    """
    if not (Path(data_dir) / SUBSCRIPTION_FILE).exists():
        return PremiumGate(device_id=""), None
    service = PremiumService.open(Path(data_dir), "", build=build)
    try:
        service.load_stored()
        return service.gate, service.notice
    finally:
        service.close()  # ends a session (there is none) and the HTTP client; gate stays


class PremiumAccess:
    def __init__(self, data_dir: Path, servers: Servers, build: BuildConfig) -> None:
        self.data_dir = Path(data_dir)
        self.build = build
        self._lock = threading.Lock()
        self._servers = servers
        self._service = self._open(servers.current)
        self._cleanup: CleanupRunner | None = None

    @property
    def service(self) -> PremiumService:
        return self._service

    @property
    def server_url(self) -> str | None:
        return self._servers.current

    @property
    def servers(self) -> tuple[str, ...]:
        """The servers this assistant may talk to (`Servers.allowed`)."""
        return self._servers.allowed

    def check_server(self, server_url: str) -> str:
        """The address as kept, if it is one of the allowed servers; else ServerNotAllowed."""
        return self._servers.check(server_url)

    def use_server(self, server_url: str) -> str:
        """Talk to another of the allowed servers from now on (what is stored here stays);
        its address as kept. Raises ServerNotAllowed for any other address."""
        with self._lock:
            servers = self._servers.choose(server_url)
            if servers.current == self._servers.current:
                return servers.current
            old, self._service = self._service, self._open(servers.current)
            self._servers = servers
        old.close()
        self._service.load_stored()
        return servers.current

    def _open(self, server_url: str | None) -> PremiumService:
        return PremiumService.open(self.data_dir, server_url or "", build=self.build)

    def lock(self, feature_id: str) -> Lock | None:
        service = self._service
        return lock_of(service.gate, feature_id, service.notice)

    def require(self, feature_id: str) -> None:
        """Raises FeatureLocked (with `.lock`) unless the feature is allowed right now."""
        lock = self.lock(feature_id)
        if lock is not None:
            error = FeatureLocked(feature_id, lock.reason)
            error.lock = lock
            raise error

    def check_lock(self, check_id: str, category: str, premium: bool) -> Lock | None:
        service = self._service
        return check_lock_of(service.gate, check_id, category, premium, service.notice)

    def allows_check(self, check) -> bool:
        """For the run board: may this check (id, category, premium) run now?"""
        return self.check_lock(check.id, str(check.category), check.premium) is None

    def unlocked(self) -> bool:
        """Whether any paid tier is in force (from a subscription or a code)."""
        return self._service.gate.status().tier is not Tier.NONE

    def state_key(self) -> tuple:
        """Changes whenever what premium allows changes (an unlock, sign-out, expiry)."""
        service = self._service
        gate = service.gate.status()
        return (id(service), gate.features, gate.sources, service.notice)

    @property
    def cleanup(self) -> CleanupRunner:
        # Made on first use: the first check result should not wait for cleanup's imports.
        from assistant.premium.cleanup.cleaner import Cleaner
        from assistant.premium.cleanup.roots import configured_locations, current_platform
        from assistant.premium.cleanup.runner import CleanupRunner

        with self._lock:
            if self._cleanup is None:
                platform = current_platform()
                cleaner = Cleaner(
                    gate=self, platform=platform, locations=configured_locations(platform)
                )
                self._cleanup = CleanupRunner(cleaner)
            return self._cleanup

    def close(self) -> None:
        """The app closes: a session unlock from a code ends with it."""
        self._service.close()
