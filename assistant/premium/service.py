"""Premium on the desktop, in one place for the UI: signing in, unlocking with a code,
staying current with the server, and what the gate allows right now.

    service = PremiumService.open(data_dir, server_url, build=build_config)
    service.on_start()                      # stored subscription, then refresh if online
    service.sign_in("K-100234", password="...")
    service.unlock_with_code("1234 5678")   # the server, or offline codes if unreachable
    service.gate.require("cleanup")         # every premium action
    service.status()                        # what to show
    service.close()                         # ends a code's session unlock

Kept in the data directory, owner-only: the device key (`device-key.pem`), the link
(`premium-link.json`: account, customer name, offline secret), a copy of the server's
public keys (`server-keys.json`, so tokens verify offline; trusted only as far as they link
to the keys the build pins, see `trusted_keys`), the subscription token
(`subscription.json`) and the offline-code state (`offline-unlock.json`). A session unlock
lives in memory only.

Methods are safe to call from several threads (the UI's API runs each call on its own).
They raise the errors of `assistant.premium.errors` for the UI to show by `code`;
`on_start` and `refresh` never raise for a server that cannot be reached, refuses, or
sends what does not verify: they record it in the status (`online`, `notice`,
`last_refresh_failure`), since the assistant must start regardless and try again soon.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from assistant.premium.client import PremiumClient
from assistant.premium.device_keys import DeviceKey
from assistant.premium.errors import (
    DeviceLimitReached,
    DeviceNotLinked,
    NotSignedIn,
    PremiumError,
    ReleaseTicketInvalid,
    ServerError,
    ServerUnreachable,
)
from assistant.premium.gate import DEFAULT_OFFLINE_GRACE, PremiumGate
from assistant.premium.offline_code import OfflineCodeVerifier
from assistant.premium.status import LinkState, PendingRelease, PremiumStatus, RefreshFailure
from assistant.premium.subscription_store import StoredSubscription, SubscriptionStore
from assistant.premium.trusted_keys import TrustedKeyStore
from isp_common.assistant_build import BuildConfig
from isp_common.clock import Clock, utc_now
from isp_common.entitlements import EntitlementClaims, PublishedKeys
from isp_common.errors import EntitlementError, UnknownSigningKey
from isp_common.premium_wire import EntitlementGrant, LinkResponse, Platform
from isp_common.private_files import ensure_private_dir, read_private_file, write_private_file

logger = logging.getLogger(__name__)

LINK_FILE = "premium-link.json"
T = TypeVar("T")


def current_platform() -> Platform:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


class PremiumService:
    @classmethod
    def open(
        cls,
        data_dir: Path,
        server_url: str,
        *,
        build: BuildConfig,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = utc_now,
        offline_grace: timedelta = DEFAULT_OFFLINE_GRACE,
    ) -> PremiumService:
        """`build` is the installation's configuration: its pinned keys decide which of the
        server's keys are trusted."""
        device_key = DeviceKey.load_or_create(data_dir)
        client = PremiumClient(server_url, device_key, transport, clock=clock)
        return cls(
            data_dir=data_dir, client=client, build=build, clock=clock, offline_grace=offline_grace
        )

    def __init__(
        self,
        *,
        data_dir: Path,
        client: PremiumClient,
        build: BuildConfig,
        clock: Clock = utc_now,
        offline_grace: timedelta = DEFAULT_OFFLINE_GRACE,
    ) -> None:
        self.data_dir = ensure_private_dir(Path(data_dir), logger=logger)
        self.client = client
        self.device_key = client.device_key
        self._clock = clock
        self._lock = threading.RLock()
        self._subscriptions = SubscriptionStore(self.data_dir)
        self._link = self._load(LINK_FILE, LinkState)
        self._keys = TrustedKeyStore(self.data_dir, build)
        self.gate = PremiumGate(
            device_id=self.device_key.device_id,
            keys=self._keys.load(),
            clock=clock,
            offline_grace=offline_grace,
        )
        self._online: bool | None = None
        self._last_refresh: datetime | None = None
        self._notice: str | None = None
        self._failure: RefreshFailure | None = None
        self._pending_release: PendingRelease | None = None

    # --- what the UI calls -----------------------------------------------------------

    def on_start(self) -> PremiumStatus:
        """Puts the stored subscription into the gate, then refreshes when online."""
        with self._lock:
            self.load_stored()
            if self._link is not None:
                self.refresh()
            return self.status()

    def load_stored(self) -> PremiumStatus:
        """Puts the stored subscription into the gate without asking the server. A stored
        token that unlocks nothing (changed, another computer's) is dropped, and `notice`
        says why until the server is asked again."""
        with self._lock:
            stored = self._subscriptions.load()
            if stored is not None:
                try:
                    self.gate.set_subscription(stored.token, refreshed_at=stored.refreshed_at)
                    self._last_refresh = stored.refreshed_at
                except (EntitlementError, PremiumError) as error:
                    logger.info("stored subscription not usable: %s", error)
                    self._subscriptions.clear()
                    self._notice = error.code
            return self.status()

    def refresh(self) -> PremiumStatus:
        """Fetches the current subscription (and keys) and reports offline-code uses. A
        failure is kept in `last_refresh_failure` until a refresh works again."""
        with self._lock:
            if self._link is None:
                return self.status()
            try:
                self._refresh_from_server()
            except DeviceNotLinked:
                self._forget_link()
                self._online = True
                self._notice = DeviceNotLinked.code
                self._failure = None
            except (PremiumError, EntitlementError) as error:
                self._refresh_failed(error)
            else:
                self._failure = None
            return self.status()

    def sign_in(
        self,
        account_number: str,
        *,
        password: str | None = None,
        activation_code: str | None = None,
        device_name: str | None = None,
        platform: Platform | None = None,
    ) -> PremiumStatus:
        """Links this computer to the customer's account; raises SignInFailed,
        DeviceLimitReached, ServerUnreachable, ... with the server's reason, and
        ServerNotTrusted, before the password is sent, for a server whose signing key is
        not linked to one the build pins. A DeviceLimitReached with a release ticket is
        kept for `release_and_sign_in`."""
        with self._lock:
            self._pending_release = None
            self._trust_keys(self.client.fetch_keys())
            name = device_name or socket.gethostname() or "Computer"
            platform = platform or current_platform()
            try:
                answer = self.client.link(
                    account_number,
                    password=password,
                    activation_code=activation_code,
                    device_name=name,
                    platform=platform,
                )
            except DeviceLimitReached as full:
                offer = full.release
                if offer is not None and offer.ticket:
                    self._pending_release = PendingRelease(offer.ticket, offer, name, platform)
                raise
            return self._take_link(answer)

    def release_and_sign_in(self, release_device_id: str) -> PremiumStatus:
        """After a sign-in refused for a full device list: releases that computer of the
        customer's (one of `pending_release.offer.devices`) and links this one in its
        place. ReleaseTicketInvalid when there is no ticket (any more): sign in again."""
        with self._lock:
            pending = self._pending_release
            if pending is None:
                raise ReleaseTicketInvalid("no release ticket: sign in first")
            try:
                answer = self.client.release(
                    pending.ticket,
                    release_device_id,
                    device_name=pending.device_name,
                    platform=pending.platform,
                )
            except ReleaseTicketInvalid:
                self._pending_release = None
                raise
            self._pending_release = None
            return self._take_link(answer)

    @property
    def pending_release(self) -> PendingRelease | None:
        return self._pending_release

    def unlock_with_code(self, code: str) -> PremiumStatus:
        """Unlocks premium for this session with the code an agent read out: checked by
        the server, or, when it cannot be reached, as an offline code of this device."""
        with self._lock:
            link = self._require_link()
            try:
                grant = self.client.redeem(code)
            except ServerUnreachable:
                self._online = False
                use = self._verifier(link).redeem(code)
                self.gate.start_offline_session(use, account_number=link.account_number)
                return self.status()
            self._online = True
            claims = self._with_fresh_keys(lambda: self.gate.start_session(grant.token))
            logger.info(
                "premium unlocked by an agent's code until %s",
                claims.expires_at.isoformat(timespec="seconds"),
            )
            return self.status()

    def sign_out(self) -> PremiumStatus:
        """Unlinks this computer at the server (freeing its place) and forgets the link.
        Needs the server: raises ServerUnreachable when offline."""
        with self._lock:
            self._require_link()
            with contextlib.suppress(DeviceNotLinked):  # unlinked already: fine
                self.client.unlink()
            self._forget_link()
            logger.info("signed out: this computer is no longer linked")
            return self.status()

    def status(self) -> PremiumStatus:
        gate = self.gate.status()
        link = self._link
        return PremiumStatus(
            linked=link is not None,
            account_number=link.account_number if link else None,
            customer_name=link.customer_name if link else None,
            device_id=self.device_key.device_id,
            device_name=link.device_name if link else None,
            tier=gate.tier,
            sources=gate.sources,
            features=gate.features,
            usable_until=gate.usable_until,
            session_active=gate.session_active,
            online=self._online,
            last_refresh=self._last_refresh,
            offline_uses_unreported=len(self._verifier(link).unreported_uses()) if link else 0,
            notice=self._notice,
            last_refresh_failure=self._failure,
        )

    @property
    def notice(self) -> str | None:
        """The code of the last background problem (see PremiumStatus.notice)."""
        return self._notice

    def close(self) -> None:
        """Ends a session unlock (the app closes); the subscription stays stored."""
        self.gate.end_session()
        self.client.close()

    # --- inside ------------------------------------------------------------------------

    def _require_link(self) -> LinkState:
        if self._link is None:
            raise NotSignedIn("sign in first")
        return self._link

    def _verifier(self, link: LinkState) -> OfflineCodeVerifier:
        return OfflineCodeVerifier(
            secret=link.offline_secret,
            device_id=self.device_key.device_id,
            state_dir=self.data_dir,
            clock=self._clock,
        )

    def _take_link(self, answer: LinkResponse) -> PremiumStatus:
        self._online = True
        self._notice = None
        self._trust_keys(answer.keys)
        self._link = LinkState(
            account_number=answer.account_number,
            customer_name=answer.customer_name,
            device_name=answer.device_name,
            offline_secret=answer.offline_secret,
        )
        self._save(LINK_FILE, self._link)
        logger.info(
            "signed in: this computer (device %s) is linked to customer %s",
            self.device_key.device_id,
            answer.account_number,
        )
        self._hold_subscription(answer.subscription)
        try:
            self._report_offline_uses()
        except ServerError as error:  # linked all the same; the next refresh reports
            self._refresh_failed(error)
        return self.status()

    def _refresh_from_server(self) -> None:
        try:
            answer = self.client.refresh()
        except ServerUnreachable:
            self._online = False
            raise
        self._online = True
        self._notice = None
        self._trust_keys(answer.keys)
        self._hold_subscription(answer.subscription)
        self._report_offline_uses()

    def _refresh_failed(self, error: PremiumError | EntitlementError) -> None:
        logger.info("asking the server about premium failed: %s", error)
        if not isinstance(error, ServerUnreachable):  # that one the status says as `online`
            self._notice = error.code
        self._failure = RefreshFailure(at=self._clock(), code=error.code)

    def _trust_keys(self, keys: PublishedKeys) -> None:
        """Raises ServerNotTrusted when the server's current key is not linked to a pin."""
        self.gate.set_keys(self._keys.accept(keys))

    def _with_fresh_keys(self, verify: Callable[[], T]) -> T:
        """Runs the verification; a token of a key this side does not know yet (a rotation
        since the keys were fetched) is tried once more with the server's current keys."""
        try:
            return verify()
        except UnknownSigningKey:
            self._trust_keys(self.client.fetch_keys())
            return verify()

    def _hold_subscription(self, grant: EntitlementGrant | None) -> EntitlementClaims | None:
        now = self._clock()
        if grant is None:
            self.gate.clear_subscription()
            self._subscriptions.clear()
            self._last_refresh = now
            return None
        claims = self._with_fresh_keys(
            lambda: self.gate.set_subscription(grant.token, refreshed_at=now)
        )
        self._subscriptions.save(StoredSubscription(token=grant.token, refreshed_at=now))
        self._last_refresh = now
        return claims

    def _report_offline_uses(self) -> None:
        if self._link is None:
            return
        verifier = self._verifier(self._link)
        uses = verifier.unreported_uses()
        if uses:  # a ServerError leaves them kept, to be reported at the next try
            verifier.mark_reported(self.client.report_offline_uses(uses))

    def _forget_link(self) -> None:
        self._link = None
        self.gate.clear_subscription()
        self.gate.end_session()
        self._subscriptions.clear()
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / LINK_FILE).unlink()

    def _load(self, name: str, model: type[BaseModel]):
        try:
            return model.model_validate_json(read_private_file(self.data_dir / name, logger=logger))
        except FileNotFoundError:
            return None
        except (OSError, ValidationError) as error:
            logger.warning("%s unreadable, ignored: %s", name, error)
            return None

    def _save(self, name: str, value: BaseModel) -> None:
        write_private_file(self.data_dir / name, value.model_dump_json().encode())
