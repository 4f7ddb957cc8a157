"""An ISP's server installs with the server's extra alone (`pip install '.[server]'`) and
runs: no Qt, no pywebview, nothing else of the desktop's on the machine.

The install is real: a fresh virtual environment, a normal (not editable) install of a copy
of the project at the versions in constraints.txt, so the package data the server reads
(the shared catalogue of checks, templates, translations) must be in the distribution.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.portal_process import PortalProcess

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("pyproject.toml", "README.md", "constraints.txt")
PACKAGES = ("agent_portal", "assistant", "isp_common")
# The desktop's window toolkit and what would bring it in.
DESKTOP_ONLY = ("webview", "PySide6", "shiboken6", "PyQt6", "PyQt5", "qtpy", "psutil")

pytestmark = pytest.mark.subprocess


def copy_of_the_project(target: Path) -> Path:
    """The project's sources without its build leftovers, so the install builds here."""
    target.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    return target


def run(*command: str | Path, cwd: Path) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def server_install(tmp_path_factory) -> Path:
    """The bin directory of a fresh venv with `.[server]` installed."""
    work = tmp_path_factory.mktemp("server-install")
    source = copy_of_the_project(work / "source")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=work)
    # --no-compile: a third of the install's time went into compiling modules to bytecode,
    # which Python does anyway when the server first imports them.
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-compile"]
    run(*pip, "-c", source / "constraints.txt", f"{source}[server]", cwd=work)
    return venv / "bin"


@pytest.mark.timeout(1200)
def test_the_server_extra_alone_serves_and_is_ready(server_install, tmp_path):
    portal = PortalProcess(
        {"data_dir": tmp_path / "data", "default_language": "en"},
        tmp_path / "run",
        "server-only",
        program=server_install / "agent-portal",
    )
    try:
        portal.start().wait_ready(timeout=90)
        assert httpx.get(f"{portal.url}/readyz", timeout=5).status_code == 200
    finally:
        portal.stop()


@pytest.mark.timeout(1200)
def test_the_server_install_has_no_qt_no_pywebview_and_never_loads_the_assistant(
    server_install, tmp_path
):
    probe = f"""
import importlib.util, json, sys
installed = [name for name in {DESKTOP_ONLY!r} if importlib.util.find_spec(name)]
from agent_portal.app import create_app
from agent_portal.knowledge.findings import diagnostics_catalogue
titles = diagnostics_catalogue().choices("de")
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & {{"assistant", *{DESKTOP_ONLY!r}}})
print(json.dumps({{"installed": installed, "loaded": loaded, "groups": len(titles),
                  "first": titles[0].title}}))
"""
    answer = json.loads(run(server_install / "python", "-c", probe, cwd=tmp_path))
    assert answer["installed"] == []
    assert answer["loaded"] == []
    # The editor's findings come with the installed package, in German.
    assert answer["groups"] > 10
    assert answer["first"] == "Netzwerkverbindung"
