"""The README's pictures of the product, taken by the browser tests that reach each view.

A test calls `readme_shot(page, "portal-chat")` at the state the README shows. Always, the
page is checked with axe-core and saved under test-output/ like any other state the test
cares about; only when README_SCREENSHOTS names a folder (`make screenshots` sets it to
docs/screenshots) is the window's visible part also written there under that stable name,
so `make test` never rewrites the README's pictures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import audit

ENVIRONMENT = "README_SCREENSHOTS"
NAMES = (
    "assistant-overview",
    "assistant-finding",
    "assistant-live-help",
    "portal-customer",
    "portal-chat",
    "portal-report",
)
# `pytest -m readme_screenshots` runs just the tests that take them.
marker = pytest.mark.readme_screenshots


def readme_shot(page, name: str) -> None:
    if name not in NAMES:
        raise ValueError(f"no README screenshot is called {name!r}; known: {', '.join(NAMES)}")
    audit(page, f"readme-{name}")
    folder = os.environ.get(ENVIRONMENT)
    if folder:
        path = Path(folder) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        # The window as a person sees it first, at the tests' 1280x800, not the whole page.
        page.screenshot(path=path, scale="css", animations="disabled", caret="hide")
