"""What premium on the desktop keeps and shows: the link to the customer's account, the
last failed refresh, the status the UI shows, and a release that waits for the customer's
choice (`assistant.premium.service`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from isp_common.entitlements import EntitlementSource
from isp_common.features import Tier
from isp_common.premium_wire import Platform, ReleaseOffer


class LinkState(BaseModel):
    """What the assistant keeps of its link to the customer's account."""

    account_number: str
    customer_name: str
    device_name: str
    offline_secret: str


class RefreshFailure(BaseModel):
    """The last time asking the server about premium did not work out, and why."""

    model_config = ConfigDict(frozen=True)

    at: datetime
    code: str  # e.g. "server_unreachable", "server_not_trusted", "bad_signature"


class PremiumStatus(BaseModel):
    """What the UI shows about premium."""

    model_config = ConfigDict(frozen=True)

    linked: bool
    account_number: str | None
    customer_name: str | None
    device_id: str
    device_name: str | None
    tier: Tier
    sources: tuple[EntitlementSource, ...]
    features: tuple[str, ...]
    usable_until: datetime | None
    session_active: bool
    online: bool | None  # None: not tried since start
    last_refresh: datetime | None
    offline_uses_unreported: int
    # The error code of the last background problem (e.g. "device_not_linked"), for the
    # UI to explain with texts.text_for_code; None when there is nothing to say.
    notice: str | None
    # Since the last refresh that worked: when and why the last one failed.
    last_refresh_failure: RefreshFailure | None = None


@dataclass(frozen=True)
class PendingRelease:
    """A sign-in refused for a full device list, with the ticket that releases one of the
    customer's computers for this one. Kept in memory only, for the minutes it works."""

    ticket: str
    offer: ReleaseOffer
    device_name: str
    platform: Platform
