"""Fixtures for the assistant's tests: the real program, started on loopback stand-ins.

`shared_assistant` is one process for a whole test module, for tests that only read;
tests that change something start their own with `start_assistant`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent_portal.demo_assistant import install_assistant
from isp_common.assistant_build import BuildConfig
from tests.assistant.support import AssistantProcess, LoopbackInternet, assistant_environment


class Launcher:
    def __init__(self, internet: LoopbackInternet, folder: Path) -> None:
        self.internet = internet
        self.folder = folder
        self.started: list[AssistantProcess] = []

    def __call__(
        self,
        *args: str,
        data_dir: Path | None = None,
        build: BuildConfig | None = None,
        **environ: str,
    ):
        """Starts `isp-assistant` (headless, English unless told otherwise); with `build`,
        from an installation of its own with that build configuration (the ISP's servers
        and pinned keys), else from this environment, whose build pins nothing."""
        number = len(self.started)
        folder = data_dir or self.folder / f"assistant-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        program = None
        if build is not None:
            python = install_assistant(self.folder / f"installation-{number}", build)
            program = [str(python), "-m", "assistant.cli"]
        process = AssistantProcess(
            list(args) or ["--headless", "--lang", "en"],
            assistant_environment(folder, self.internet, **environ),
            self.folder / f"assistant-{number}.log",
            program,
        )
        self.started.append(process)
        return process.start()

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


@pytest.fixture(scope="module")
def internet() -> Iterator[LoopbackInternet]:
    service = LoopbackInternet()
    yield service
    service.close()


@pytest.fixture
def start_assistant(internet: LoopbackInternet, tmp_path: Path) -> Iterator[Launcher]:
    launcher = Launcher(internet, tmp_path)
    yield launcher
    launcher.stop_all()


@pytest.fixture(scope="module")
def shared_assistant(
    internet: LoopbackInternet, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AssistantProcess]:
    launcher = Launcher(internet, tmp_path_factory.mktemp("shared-assistant"))
    yield launcher()
    launcher.stop_all()
