"""An assistant installed without the server's address asks for it when the customer signs
in, keeps it, and talks to that server from then on."""

from __future__ import annotations

from tests.premium_server.conftest import PASSWORD, provision


def test_the_server_address_given_at_sign_in_is_kept(portal, api, start_assistant):
    provision(api, "K-100234", tier="premium")
    assistant = start_assistant(None)
    sign_in = {"account_number": "K-100234", "password": PASSWORD, "device_name": "Laptop"}

    with assistant.client() as client:
        assert client.get("/api/premium").json()["server_configured"] is False
        refused = client.post("/api/premium/sign-in", json=sign_in)
        assert refused.status_code == 422
        assert refused.json()["error"] == (
            "Please enter the address of your internet provider's server."
        )
        wrong = client.post("/api/premium/sign-in", json={**sign_in, "server_url": "portal"})
        assert wrong.json()["code"] == "server_url_invalid"

        signed_in = client.post("/api/premium/sign-in", json={**sign_in, "server_url": portal.url})
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["tier_name"] == "Premium"
        assert client.get("/api/settings").json() == {
            "language": "en",
            "server_url": portal.url,
            "linked": True,
        }
