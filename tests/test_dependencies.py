"""The floors in pyproject.toml are the versions the tests run on, so an install that
meets them is one that was tested: a floor below (`fastapi>=0.115` while the code needs
a newer FastAPI) lets pip keep an old version the code breaks on.

The tested versions are pinned in constraints.txt, which `make` installs with; CI thus
runs on them however upstream moves. Raising a dependency means raising both: its pin in
constraints.txt and its floor here, to the new major.minor.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
DECLARED = [Requirement(text) for text in PROJECT["dependencies"]] + [
    Requirement(text) for extra in PROJECT["optional-dependencies"].values() for text in extra
]


def pins() -> dict[str, Version]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"constraints.txt pins exactly: {line}"
            found[canonicalize_name(requirement.name)] = Version(specifier.version)
    return found


def floor_of(requirement: Requirement) -> Version:
    floors = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    assert len(floors) == 1, f"{requirement}: give one floor (>=)"
    return floors[0]


def installed(requirement: Requirement) -> Version:
    try:
        return Version(version(requirement.name))
    except PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed: run make, or pip install -e '.[test]'")


def as_tested(floor: Version, tested: Version) -> bool:
    """The floor names the tested version down to its own precision: at least
    major.minor, and the patch level too for 0.0.x."""
    needed = 3 if tested.release[:2] == (0, 0) else 2
    length = len(floor.release)
    return length >= needed and floor.release == (tested.release + (0,) * length)[:length]


@pytest.mark.parametrize("requirement", DECLARED, ids=str)
def test_each_floor_is_the_tested_version(requirement):
    floor, tested = floor_of(requirement), installed(requirement)
    assert tested in requirement.specifier, f"{requirement.name} {tested} is outside {requirement}"
    assert as_tested(floor, tested), (
        f"{requirement.name}: the floor {floor} is not the tested {tested}; "
        f"write >={tested.major}.{tested.minor}"
    )
    assert any(s.operator == "<" for s in requirement.specifier), (
        f"{requirement}: give a ceiling (<) below the next major version"
    )


@pytest.mark.parametrize("requirement", DECLARED, ids=str)
def test_each_dependency_is_pinned_at_the_version_the_tests_run_on(requirement):
    pinned = pins().get(canonicalize_name(requirement.name))
    assert pinned is not None, f"pin {requirement.name} in constraints.txt"
    assert pinned in requirement.specifier, f"the pin {pinned} is outside {requirement}"
    assert installed(requirement) == pinned, (
        f"{requirement.name} {installed(requirement)} is installed, constraints.txt pins "
        f"{pinned}: install with make (pip install -c constraints.txt -e '.[test]')"
    )
