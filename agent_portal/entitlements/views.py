"""The entitlement API of the assistant:

- `GET /api/v1/entitlements/keys` (open): the server's public keys: the current one and
  those retired by a rotation whose tokens may still be valid, each rotated key with the
  endorsement of the key before it, and older keys as history (see isp_common.key_chain).
- `POST /api/v1/entitlements/refresh` (signed by a linked device): a fresh subscription
  entitlement, or none when the subscription has ended, and the keys.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Response

from agent_portal.api_errors import refusals
from agent_portal.auth.deps import public_route
from agent_portal.database import utcnow
from agent_portal.deps import ServerKeysDep, SettingsDep
from agent_portal.devices.deps import CurrentDevice, require_device
from agent_portal.entitlements import service
from isp_common.entitlements import PublishedKeys
from isp_common.premium_wire import KEYS_PATH, REFRESH_PATH, RefreshResponse

router = APIRouter(tags=["entitlements"])

REFUSALS = refusals({401: "Not signed by a linked device"})


@router.get(KEYS_PATH, response_model=PublishedKeys, dependencies=[public_route()])
def public_keys(keys: ServerKeysDep, response: Response) -> PublishedKeys:
    # Checked again each time, so a rotation reaches every assistant at once.
    response.headers["Cache-Control"] = "no-cache"
    return keys.signing.public_keys()


@router.post(
    REFRESH_PATH,
    response_model=RefreshResponse,
    dependencies=[require_device()],
    responses=REFUSALS,
)
def refresh(device: CurrentDevice, keys: ServerKeysDep, settings: SettingsDep) -> RefreshResponse:
    now = utcnow()
    grant = service.subscription_grant(
        keys=keys,
        customer=device.customer,
        device_id=device.id,
        now=now,
        lifetime=timedelta(hours=settings.entitlement_lifetime_hours),
        device_limits=settings.device_limits,
    )
    return RefreshResponse(
        account_number=device.customer.account_number,
        keys=keys.signing.public_keys(),
        subscription=grant,
        server_time=now,
    )
