"""Entitlements the server signs: a device's subscription, and the session unlock an
agent's code buys. Plain functions of the customer, the device, the keys and `now`.

A subscription entitlement lives `lifetime` (24 hours by default) and never past the end
of the subscription; the assistant refreshes it while online and keeps using it offline for
its grace period. A session entitlement (source "agent_code") lives at most 8 hours and
only in the assistant's memory. `assistant_build_config` gives what an assistant for this
server is built with: its addresses and its current key, pinned.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from agent_portal.customers.models import Customer
from agent_portal.customers.tiers import subscription_status
from agent_portal.server_keys import ServerKeys
from isp_common.assistant_build import BuildConfig
from isp_common.entitlements import EntitlementClaims, EntitlementSource
from isp_common.features import Tier, feature_ids_for_tier
from isp_common.key_chain import pinned_keys_of
from isp_common.premium_wire import EntitlementGrant

MAX_SESSION = timedelta(hours=8)
SESSION_TIER = Tier.PREMIUM  # what an agent's code unlocks


def _grant(keys: ServerKeys, claims: EntitlementClaims) -> EntitlementGrant:
    return EntitlementGrant(
        token=keys.signing.sign(claims),
        tier=claims.tier,
        features=claims.features,
        source=claims.source,
        expires_at=claims.expires_at,
    )


def subscription_grant(
    *,
    keys: ServerKeys,
    customer: Customer,
    device_id: str,
    now: datetime,
    lifetime: timedelta,
    device_limits: dict[str, int],
) -> EntitlementGrant | None:
    """The signed subscription of the device; None without an active paid subscription."""
    status = subscription_status(
        subscription=customer.subscription, device_limits=device_limits, now=now
    )
    tier = status.effective_tier
    if tier is Tier.NONE:
        return None
    expires_at = now + lifetime
    if status.valid_until is not None:
        expires_at = min(expires_at, status.valid_until)
    claims = EntitlementClaims(
        account_number=customer.account_number,
        device_id=device_id,
        tier=tier,
        features=feature_ids_for_tier(tier),
        source=EntitlementSource.SUBSCRIPTION,
        issued_at=now,
        expires_at=expires_at,
    )
    return _grant(keys, claims)


def session_grant(
    *, keys: ServerKeys, customer: Customer, device_id: str, now: datetime, lifetime: timedelta
) -> EntitlementGrant:
    """The signed session unlock of an agent's code, for this device only."""
    claims = EntitlementClaims(
        account_number=customer.account_number,
        device_id=device_id,
        tier=SESSION_TIER,
        features=feature_ids_for_tier(SESSION_TIER),
        source=EntitlementSource.AGENT_CODE,
        issued_at=now,
        expires_at=now + min(lifetime, MAX_SESSION),
    )
    return _grant(keys, claims)


def assistant_build_config(*, keys: ServerKeys, servers: Sequence[str]) -> BuildConfig:
    """The build configuration of an assistant for this server: its addresses, and the
    current signing key pinned (keys it endorses at later rotations are trusted through it).
    ValueError for an address that is not one."""
    pinned = pinned_keys_of(keys.signing.public_keys())
    return BuildConfig(servers=tuple(servers), trusted_keys=pinned)
