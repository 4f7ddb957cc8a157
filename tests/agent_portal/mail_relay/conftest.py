"""The relay's tests use the live channel's fixtures (the test's database to arrange in,
staff channel clients) on settings of their own: quick background rounds, the relay on,
its receiver on a free loopback port."""

import pytest

from agent_portal.config import PortalSettings
from tests.agent_portal.mail_relay.support import RELAY_DOMAIN
from tests.support.live_fixtures import staff_client, world  # noqa: F401 (fixtures)
from tests.support.postgres import free_port


@pytest.fixture
def settings(database_url: str, tmp_path) -> PortalSettings:
    return PortalSettings(
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "portal-data",
        login_failure_delay_seconds=0,
        live_sweep_seconds=0.2,
        default_language="en",
        smtp_retry_seconds=0.05,
        mail_relay_domain=RELAY_DOMAIN,
        mail_relay_listen=f"127.0.0.1:{free_port()}",
    )
