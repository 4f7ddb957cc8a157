"""The "open settings" button under a finding opens the right page on each system, and only
programs from the quick-link table ever start."""

from __future__ import annotations

import ast
import inspect
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from assistant.diagnostics.catalogue import all_checks
from assistant.quicklinks import (
    LINUX,
    MACOS,
    QUICK_LINKS,
    WINDOWS,
    QuickLinks,
    UnknownQuickLink,
    current_os,
    is_free_quick_link,
    quick_link_feature,
)
from isp_common.diagnostics.report import QuickLink
from isp_common.features import get_feature


@pytest.mark.parametrize("link", list(QuickLink))
def test_every_quick_link_a_finding_can_name_opens_something_on_every_system(link):
    actions = QUICK_LINKS[link.value]
    assert actions[WINDOWS] and actions[MACOS] and actions[LINUX]


@pytest.mark.parametrize("link_id", list(QUICK_LINKS))
def test_windows_and_macos_open_their_own_settings_addresses(link_id):
    windows = QUICK_LINKS[link_id][WINDOWS][0]
    macos = QUICK_LINKS[link_id][MACOS][0]
    assert windows[0] in ("explorer.exe", "taskmgr.exe")
    if windows[0] == "explorer.exe":
        assert windows[1].startswith(("ms-settings:", "windowsdefender:"))
    assert macos[0] == "open"
    assert macos[1].startswith("x-apple.systempreferences:") or macos[1:] == (
        "-a",
        "Activity Monitor",
    )


def test_the_system_is_recognised():
    assert current_os("win32") == WINDOWS
    assert current_os("darwin") == MACOS
    assert current_os("linux") == LINUX


def fake_program(folder: Path, name: str, record: Path) -> None:
    script = folder / name
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$0" "$@" > "{record}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def wait_for(path: Path) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.02)
    raise AssertionError(f"{path} was never written")


@pytest.mark.skipif(os.name != "posix", reason="starts a shell script as the settings tool")
def test_on_linux_the_installed_settings_tool_opens_the_page(tmp_path):
    record = tmp_path / "started.txt"
    fake_program(tmp_path, "gnome-control-center", record)

    argv = QuickLinks(LINUX, search_path=str(tmp_path)).launch("wifi")

    assert argv == (str(tmp_path / "gnome-control-center"), "wifi")
    assert wait_for(record) == f"{tmp_path / 'gnome-control-center'}|wifi|"


@pytest.mark.skipif(os.name != "posix", reason="starts a shell script as the settings tool")
def test_the_first_installed_tool_wins(tmp_path):
    record = tmp_path / "started.txt"
    fake_program(tmp_path, "nm-connection-editor", record)  # no GNOME, no KDE here

    QuickLinks(LINUX, search_path=str(tmp_path)).launch("network")

    assert wait_for(record) == f"{tmp_path / 'nm-connection-editor'}|"


def test_without_a_settings_tool_nothing_starts(tmp_path):
    links = QuickLinks(LINUX, search_path=str(tmp_path))
    assert links.launch("wifi") is None
    assert links.available("wifi") is False


def test_an_unknown_id_is_refused_rather_than_run(tmp_path):
    with pytest.raises(UnknownQuickLink):
        QuickLinks(LINUX, search_path=str(tmp_path)).launch("rm -rf /")


# ---- which quick links are free --------------------------------------------------------


def quick_links_named_in(check) -> set[str]:
    """The quick links a check's rules can put under a finding (`QuickLink.<name>` in its
    module), read from the source: a rule that only fires on some computers counts too."""
    source = Path(inspect.getfile(sys.modules[check.evaluate.__module__])).read_text()
    return {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "QuickLink"
    }


FREE_CHECKS = [check for check in all_checks() if not check.premium]


@pytest.mark.parametrize("check", FREE_CHECKS, ids=lambda check: check.id)
def test_every_quick_link_under_a_free_check_is_free(check):
    named = quick_links_named_in(check)
    for link in named:
        assert is_free_quick_link(link), (
            f"{check.id} offers the quick link {link!r}, which the catalogue counts as "
            "premium: a free customer would get a button that is refused"
        )


def test_the_free_checks_do_offer_quick_links():
    offered = set().union(*(quick_links_named_in(c) for c in all_checks() if not c.premium))
    assert {"network", "wifi", "mail"} <= offered


@pytest.mark.parametrize("link_id", list(QUICK_LINKS))
def test_every_quick_link_belongs_to_a_feature_of_the_catalogue(link_id):
    feature = get_feature(quick_link_feature(link_id))
    assert feature.is_free == is_free_quick_link(link_id)


def test_the_catalogue_says_which_quick_links_are_free_and_which_premium():
    free = get_feature(quick_link_feature("wifi"))
    premium = get_feature(quick_link_feature("firewall"))
    assert free.is_free and not premium.is_free
    assert "network, Wi-Fi and e-mail" in free.description
    # The premium entry names what it adds, and that the connection links cost nothing.
    assert "firewall" in premium.description and "free" in premium.description


def test_a_free_customer_opens_free_quick_links_and_is_told_premium_ones_are_locked(
    shared_assistant,
):
    with shared_assistant.client() as client:
        free = client.post("/api/quick-links/network")
        locked = client.post("/api/quick-links/firewall")
    assert free.status_code == 200, free.text
    assert locked.status_code == 403
    body = locked.json()
    assert body["code"] == "feature_locked" and body["feature"] == "quick_links"
    assert body["error"].startswith("This feature is part of Premium.")
