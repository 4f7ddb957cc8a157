"""Tests that need a system program ask for it here: missing on a developer's machine it
skips the test with the install hint; under CI=true it fails, so nothing hides a missing
install step."""

from __future__ import annotations

import os
import shutil

import pytest


def require_program(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is missing: install the Debian package {package} (make test does)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
