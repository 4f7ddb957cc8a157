"""What a customer's subscription means right now: active or not, and how many devices it
allows. Pure functions of the stored subscription, the limits from the settings
(`PortalSettings.device_limits`) and the clock, so every caller agrees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agent_portal.customers.models import Subscription, Tier


@dataclass(frozen=True)
class SubscriptionStatus:
    tier: Tier  # the tier booked, even when it has run out
    valid_until: datetime | None
    active: bool  # a paid tier whose end, if any, has not passed
    effective_tier: Tier  # what the customer gets now: the booked tier, or none once run out
    device_limit: int  # devices allowed by the effective tier


def subscription_status(
    *, subscription: Subscription | None, device_limits: dict[str, int], now: datetime
) -> SubscriptionStatus:
    tier = Tier(subscription.tier) if subscription else Tier.NONE
    valid_until = subscription.valid_until if subscription else None
    active = tier is not Tier.NONE and (valid_until is None or now <= valid_until)
    effective = tier if active else Tier.NONE
    return SubscriptionStatus(
        tier=tier,
        valid_until=valid_until,
        active=active,
        effective_tier=effective,
        device_limit=device_limits[effective.value],
    )
