"""Fixtures of the assistant's premium tests: the real portal on loopback (both databases),
the ISP's back end provisioning customers, and the real `isp-assistant --headless --server
URL`, each with a data folder and, for cleanup, a home and temp folder of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_portal.entitlements.service import assistant_build_config
from agent_portal.server_keys import ServerKeys
from isp_common.assistant_build import BuildConfig
from tests.assistant.conftest import Launcher, internet  # noqa: F401 (a fixture)
from tests.assistant.premium.app.support import Computer
from tests.assistant.support import AssistantProcess
from tests.support.premium_portal import (  # noqa: F401 (fixtures)
    agent,
    api,
    assistants,
    keys,
    staff_member,
)


@pytest.fixture
def computer(tmp_path: Path) -> Computer:
    """The customer's home and temp folders, as cleanup sees them."""
    return Computer(tmp_path / "home", tmp_path / "temp")


@pytest.fixture
def start_assistant(internet, tmp_path: Path, computer: Computer) -> Iterator:  # noqa: F811
    """`start_assistant(server_url)`: the real assistant, headless, talking to that server
    (None: none set up yet), cleaning up only in the test's folders
    (ISP_ASSISTANT_CLEANUP_HOME and _TEMP). `pin=keys` installs it as the ISP's build for
    that server would be: the server's address and current key in its build configuration;
    `build=` gives another build configuration."""
    folder = tmp_path / "assistants"
    folder.mkdir()
    launcher = Launcher(internet, folder)

    def start(
        server_url: str | None,
        *,
        data_dir: Path | None = None,
        lang: str = "en",
        pin: ServerKeys | None = None,
        build: BuildConfig | None = None,
        **environ: str,
    ):
        server = ["--server", server_url] if server_url else []
        if pin is not None:
            build = assistant_build_config(keys=pin, servers=[server_url])
        process: AssistantProcess = launcher(
            "--headless",
            "--lang",
            lang,
            *server,
            data_dir=data_dir,
            build=build,
            ISP_ASSISTANT_CLEANUP_HOME=str(computer.home),
            ISP_ASSISTANT_CLEANUP_TEMP=str(computer.temp),
            **environ,
        )
        return process

    yield start
    launcher.stop_all()


@pytest.fixture
def narrow_page(page):
    """The assistant's page in the smallest window it is made for."""
    page.set_viewport_size({"width": 900, "height": 600})
    page.set_default_timeout(15_000)
    return page
