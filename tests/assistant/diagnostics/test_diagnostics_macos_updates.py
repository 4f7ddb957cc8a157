"""`softwareupdate -l` in both of its formats, on outputs published from real Macs.

Up to macOS 10.14 each update was "* label" and "title (version), size [recommended]
[restart]"; since 10.15 it is "* Label: ..." and "Title: ..., Version: ..., Action: ...".
Beside security fixes the list can offer the next major macOS and, to Macs enrolled in a
seed programme, betas: neither is a pending security update.
"""

from __future__ import annotations

from assistant.diagnostics.platform._macos import MacOSBackend
from assistant.diagnostics.platform._macos_updates import parse_softwareupdate
from tests.assistant.diagnostics.diagnostics_support import DATA, RecordedRunner, recording, run

MACOS = DATA / "macos"


def recorded(name: str) -> str:
    return recording(MACOS / name).decode("utf-8")


def summary(updates):
    return [(u.name, u.version, u.category, u.security) for u in updates]


def test_the_format_up_to_mojave_with_versions_and_restart():
    updates, restart = parse_softwareupdate(
        recorded("softwareupdate_mojave_old_format.txt"), current_version="10.14.6"
    )
    assert summary(updates) == [
        ("Safari", "14.0.1", "update", False),
        ("Security Update 2020-005", "10.14.6", "update", True),
        ("macOS Supplemental Update", "10.14.6", "update", True),
        ("Command Line Tools (macOS Mojave version 10.14) for Xcode", "10.3", "update", False),
    ]
    assert restart is True


def test_a_major_macos_upgrade_is_not_a_pending_security_update():
    updates, restart = parse_softwareupdate(
        recorded("softwareupdate_ventura_with_sonoma_upgrade.txt"), current_version="13.5"
    )
    assert summary(updates) == [
        ("Safari", "17.0", "update", False),
        ("macOS Ventura 13.6", "13.6", "update", True),
        ("macOS Sonoma 14.0", "14.0", "upgrade", False),
    ]
    assert restart is True  # for Ventura 13.6, not only for the optional upgrade


def test_without_the_current_version_the_higher_major_of_two_is_the_upgrade():
    updates, _ = parse_softwareupdate(
        recorded("softwareupdate_ventura_with_sonoma_upgrade.txt"), current_version=None
    )
    assert [u.category for u in updates] == ["update", "update", "upgrade"]


def test_a_beta_is_neither_a_security_update_nor_a_reason_to_restart():
    updates, restart = parse_softwareupdate(
        recorded("softwareupdate_big_sur_beta.txt"), current_version="11.0.1"
    )
    assert summary(updates) == [("macOS Big Sur 11.1 Beta 2", "11.1", "beta", False)]
    assert restart is False


def test_constructed_current_format_and_no_updates():
    updates, restart = parse_softwareupdate(
        recorded("constructed_softwareupdate_pending.txt"), current_version="14.6"
    )
    assert [(u.name, u.version, u.security) for u in updates] == [
        ("macOS Sonoma 14.7.1", "14.7.1", True),
        ("Safari", "18.1", False),
        ("Command Line Tools for Xcode", "16.1", False),
    ]
    assert restart is True
    none = parse_softwareupdate(recorded("constructed_softwareupdate_none.txt"), "14.6")
    assert none == ([], False)


def test_backend_counts_updates_without_the_upgrade(tmp_path):
    runner = RecordedRunner(
        {
            "softwareupdate -l": recorded("softwareupdate_ventura_with_sonoma_upgrade.txt"),
            "sw_vers -productVersion": "13.5\n",
        }
    )
    facts = run(MacOSBackend(runner, root=tmp_path).updates())
    assert (facts.pending_count, facts.security_count, facts.restart_required) == (2, 1, True)
    assert [u.name for u in facts.updates if u.category == "upgrade"] == ["macOS Sonoma 14.0"]
