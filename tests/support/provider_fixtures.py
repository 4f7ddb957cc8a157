"""Fixtures of the provider profile's tests: the real portal on loopback (both databases)
publishing the profile of an ISP whose mail server is a real SMTP server on loopback
(aiosmtpd, STARTTLS with a test CA's certificate) and whose internet test endpoint is a
listening socket here, so no check leaves this computer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from agent_portal.config import PortalSettings
from agent_portal.demo_assistant import install_assistant
from agent_portal.provider.settings import ProviderSettings
from isp_common.assistant_build import BuildConfig
from isp_common.provider_profile import MailServer
from tests.assistant.conftest import internet  # noqa: F401 (a fixture)
from tests.assistant.support import AssistantProcess, LoopbackInternet, assistant_environment
from tests.support.certificates import make_loopback_certificates
from tests.support.mailbox import smtp_server
from tests.support.premium_portal import keys  # noqa: F401 (a fixture)

HOTLINE = "0800 222 333"


@dataclass(frozen=True)
class IspMailServer:
    server: MailServer  # as the profile names it
    ca_file: Path  # the CA a computer must trust for its certificate


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IspMailServer]:
    certificates = make_loopback_certificates(tmp_path_factory.mktemp("mail-certificates"))
    with smtp_server(starttls=certificates.server_context()) as (_mailbox, port):
        server = MailServer(protocol="smtp", host="127.0.0.1", port=port, security="starttls")
        yield IspMailServer(server, certificates.ca_file)


@pytest.fixture
def provider_settings(
    mail_server: IspMailServer,
    internet: LoopbackInternet,  # noqa: F811
) -> ProviderSettings:
    return ProviderSettings(
        _env_file=None,
        name="Example ISP",
        hotline_phone=HOTLINE,
        mail_servers=[mail_server.server],
        internet_endpoints=[f"127.0.0.1:{internet.port}"],
        dns_test_names=["localhost"],
        router_address="127.0.0.1",
        router_admin_page=f"http://127.0.0.1:{internet.nowhere}/",
    )


@pytest.fixture
def settings(
    database_url: str, tmp_path: Path, provider_settings: ProviderSettings
) -> PortalSettings:
    """The portal's settings (as in tests/conftest.py), with the ISP's provider profile."""
    return PortalSettings(
        _env_file=None,
        database_url=database_url,
        data_dir=tmp_path / "portal-data",
        login_failure_delay_seconds=0,
        provider=provider_settings,
    )


# Set on this computer by the assistant tests' usual environment; left out here, so the
# values come from the provider profile (a value set on the computer would win).
PROFILE_VALUES = (
    "ISP_ASSISTANT_MAIL_SERVERS",
    "ISP_ASSISTANT_INTERNET_ENDPOINTS",
    "ISP_ASSISTANT_DNS_TEST_NAMES",
    "ISP_ASSISTANT_MODEM_URL",
)


@pytest.fixture
def start_assistant(
    internet: LoopbackInternet,  # noqa: F811
    mail_server: IspMailServer,
    tmp_path: Path,
) -> Iterator:
    """`start_assistant(server_url, build=..., **environ)`: the real assistant, headless,
    installed with that build configuration, trusting the mail server's CA, with the
    profile's values not set on the computer."""
    started: list[AssistantProcess] = []

    def start(
        server_url: str | None, *, build: BuildConfig, data_dir: Path | None = None, **environ
    ) -> AssistantProcess:
        number = len(started)
        folder = data_dir or tmp_path / f"assistant-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        python = install_assistant(tmp_path / f"installation-{number}", build)
        environment = assistant_environment(
            folder, internet, ISP_ASSISTANT_MAIL_CA_FILE=str(mail_server.ca_file)
        )
        for name in PROFILE_VALUES:
            environment.pop(name)
        environment.update(environ)
        server = ["--server", server_url] if server_url else []
        process = AssistantProcess(
            ["--headless", "--lang", "en", *server],
            environment,
            tmp_path / f"assistant-{number}.log",
            [str(python), "-m", "assistant.cli"],
        )
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()
