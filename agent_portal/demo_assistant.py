"""An assistant installed for a server the way an ISP's build is, for the demo (and tests).

An assistant trusts only the keys its installation pins (`<prefix>/etc/isp-assistant/
build.json`, read by `assistant.build`), never keys from its data folder. So the demo,
whose server makes its key at first start, cannot point an already installed assistant at
it: it installs one of its own, a virtual environment layered on the running one (it sees
the same packages, installed or editable), with the demo server's address and key in its
build configuration, and starts the assistant from there.
"""

from __future__ import annotations

import os
import sysconfig
import venv
from pathlib import Path

from isp_common.assistant_build import INSTALLED_PATH, BuildConfig


def install_assistant(directory: Path, build: BuildConfig) -> Path:
    """Makes (or updates) the installation in `directory` with the build configuration
    `build`, and returns its Python, to run `python -m assistant.cli ...` with."""
    directory = Path(directory)
    layout = {"base": str(directory), "platbase": str(directory)}
    python = Path(sysconfig.get_path("scripts", "venv", layout)) / (
        "python.exe" if os.name == "nt" else "python"
    )
    if not python.exists():
        venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(directory)
    site_packages = Path(sysconfig.get_path("purelib", "venv", layout))
    site_packages.mkdir(parents=True, exist_ok=True)
    (site_packages / "running-environment.pth").write_text(_see_running_packages())
    config = directory.joinpath(*INSTALLED_PATH.parts)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(build.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return python


def _see_running_packages() -> str:
    """A .pth line that adds the running environment's packages (with their own .pth
    files, which an editable install needs) to the new environment's."""
    folders = dict.fromkeys((sysconfig.get_path("purelib"), sysconfig.get_path("platlib")))
    return "".join(f"import site; site.addsitedir({folder!r})\n" for folder in folders)
