"""Premium cannot be made on the customer's own computer: a key of one's own in the data
folder, a subscription signed with it and a link record unlock nothing, because the
assistant trusts only the keys its installation pins."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from assistant.premium.device_keys import DeviceKey
from isp_common.clock import utc_now
from isp_common.entitlements import (
    EntitlementClaims,
    EntitlementSource,
    PublishedKey,
    PublishedKeys,
    sign_entitlement,
)
from isp_common.features import Tier, feature_ids_for_tier
from isp_common.offline_codes import new_device_secret
from isp_common.signing_keys import key_id_for
from tests.support.premium_portal import unreachable_url


def forge_premium_plus(data_dir: Path, lifetime: timedelta) -> None:
    """What a customer writes into their own data folder: a link record, a key of their
    own as "the server's", and a Premium Plus subscription signed with it."""
    device = DeviceKey.load_or_create(data_dir)
    own_key = Ed25519PrivateKey.generate()
    own_id = key_id_for(own_key.public_key())
    now = utc_now()
    link = {
        "account_number": "K-100234",
        "customer_name": "Erika Mustermann",
        "device_name": "Laptop",
        "offline_secret": new_device_secret(),
    }
    (data_dir / "premium-link.json").write_text(json.dumps(link))
    keys = PublishedKeys(
        current_key_id=own_id,
        keys=(PublishedKey.from_key(own_id, own_key.public_key(), created_at=now),),
    )
    (data_dir / "server-keys.json").write_text(keys.model_dump_json())
    claims = EntitlementClaims(
        account_number="K-100234",
        device_id=device.device_id,
        tier=Tier.PREMIUM_PLUS,
        features=feature_ids_for_tier(Tier.PREMIUM_PLUS),
        source=EntitlementSource.SUBSCRIPTION,
        issued_at=now,
        expires_at=now + lifetime,
    )
    token = sign_entitlement(claims, own_key, own_id)
    stored = {"token": token, "refreshed_at": now.isoformat()}
    (data_dir / "subscription.json").write_text(json.dumps(stored))


@pytest.mark.parametrize("lifetime", [timedelta(days=1), timedelta(days=365)], ids=["day", "year"])
def test_a_self_signed_subscription_in_the_data_folder_unlocks_nothing(
    start_assistant, tmp_path, lifetime
):
    isp_server = ServerKeys(tmp_path / "isp-server-keys")  # the key the ISP's build pins
    offline = unreachable_url()
    data_dir = tmp_path / "customer-data"
    forge_premium_plus(data_dir, lifetime)

    assistant = start_assistant(
        offline,
        data_dir=data_dir,
        build=assistant_build_config(keys=isp_server, servers=[offline]),
    )

    with assistant.client() as client:
        premium = client.get("/api/premium").json()
        assert premium["tier"] == "none" and premium["unlocked"] is False
        assert premium["sources"] == []
        assert not any(feature["allowed"] for feature in premium["features"])
        assert client.get("/api/checks/computer.cpu").status_code == 403
        started = client.post("/api/cleanup/preview")
        assert started.status_code == 403 and started.json()["code"] == "feature_locked"
