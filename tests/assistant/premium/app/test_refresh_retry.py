"""When asking the server about premium fails, the window says when and why, and the
assistant tries again soon instead of hours later: an offline code used while the server
was away reaches the server's audit shortly after it is back."""

from __future__ import annotations

from sqlalchemy import select

from agent_portal.unlock_codes.models import OfflineCode
from tests.assistant.support import wait_until
from tests.support.live_server import LiveServer
from tests.support.postgres import free_port
from tests.support.premium_portal import PASSWORD, provision, shown_code


def test_a_failed_refresh_is_shown_and_retried_soon_so_offline_uses_get_reported(
    portal, portal_app, keys, api, agent, assistants, start_assistant, db_session
):
    provision(api, "K-300400", tier="none")
    laptop = assistants("laptop")
    laptop.sign_in("K-300400", password=PASSWORD, device_name="Erikas Laptop")
    laptop.close()
    shown = agent.post(
        f"/portal/customers/K-300400/devices/{laptop.device_key.device_id}/offline-code"
    )
    code = shown_code(shown.text)
    # The address the assistant uses: nothing answers there until the server comes back.
    port = free_port()
    comes_back = f"http://127.0.0.1:{port}"

    assistant = start_assistant(
        comes_back,
        data_dir=laptop.data_dir,
        pin=keys,
        ISP_ASSISTANT_REFRESH_RETRY_SECONDS="0.5",
    )
    with assistant.client() as client:
        failed = wait_until(
            lambda: client.get("/api/premium").json()["last_refresh_failure"],
            message="the window says the refresh failed",
        )
        assert failed.startswith("Premium could not be updated from the server at ")
        assert "cannot be reached" in failed
        unlocked = client.post("/api/premium/unlock", json={"code": code})
        assert unlocked.status_code == 200 and unlocked.json()["session_active"]
        assert offline_uses_reported(db_session) == []

        server = LiveServer(portal_app, port=port, lifespan="off").start()
        try:
            reported = wait_until(
                lambda: offline_uses_reported(db_session),
                timeout=60,
                message="the offline code use reported after the server came back",
            )
            assert [row.device_id for row in reported] == [laptop.device_key.device_id]
            wait_until(
                lambda: (
                    (view := client.get("/api/premium").json())["online"]
                    and view["last_refresh_failure"] is None
                ),
                message="the window no longer says the refresh failed",
            )
        finally:
            server.stop()


def offline_uses_reported(db_session) -> list[OfflineCode]:
    db_session.expire_all()
    return list(db_session.scalars(select(OfflineCode).where(OfflineCode.reported_at.is_not(None))))
