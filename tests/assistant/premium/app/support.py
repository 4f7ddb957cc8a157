"""What the assistant's premium tests share: the customer's folders, and the steps a
customer takes on the page."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from tests.assistant.support import AssistantProcess

DAY = 24 * 3600


@dataclass
class Computer:
    home: Path
    temp: Path

    def put(self, path: Path, size: int, *, age_seconds: float = 2 * DAY) -> Path:
        """A file of `size` bytes, last changed `age_seconds` ago."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"c" * size)
        then = time.time() - age_seconds
        os.utime(path, (then, then))
        return path


def open_assistant(page, assistant: AssistantProcess) -> None:
    page.goto(assistant.url)
    page.wait_for_selector("body[data-run='finished']")


def open_view(page, name: str) -> None:
    page.click(f".tab[data-view='{name}']")
    page.wait_for_selector(f"#view-{name}:not([hidden])")


def sign_in(page, account: str, password: str, device_name: str | None = None) -> None:
    """Types into the sign-in panel and presses the button (the outcome is the test's)."""
    open_view(page, "premium")
    page.wait_for_selector("#sign-in-form:not([hidden])")
    page.get_by_label("Customer number").fill(account)
    page.get_by_label("Password", exact=True).fill(password)
    if device_name is not None:
        page.get_by_label("Name of this computer").fill(device_name)
    page.get_by_role("button", name="Sign in").click()


def check_status(page, check_id: str) -> str | None:
    return page.get_attribute(f"[data-check='{check_id}']", "data-status")


def wait_for_result(page, check_id: str) -> str:
    """Waits until the check shows a result (not locked, not waiting); its status."""
    shown = f"[data-check='{check_id}']:not([data-status='locked']):not([data-status='pending'])"
    return page.wait_for_selector(shown).get_attribute("data-status")
