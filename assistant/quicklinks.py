"""Quick links: the button under a finding that opens the right settings page of the system.

One table maps each quick-link id to what opens it on each operating system: a settings URI
on Windows (`ms-settings:`) and macOS (`x-apple.systempreferences:`), the desktop's settings
tool on Linux (the first one installed wins: GNOME, KDE, then a generic tool). Programs are
started directly, never through a shell, and only from this table: the page can ask for an
id, not for a command.

Which quick links are free is decided here, and the premium catalogue
(`isp_common.features`) says the same: the ones to the connection's settings (network,
Wi-Fi, e-mail), which the free checks offer, are free; the ones to the computer's and its
protection's settings come with Premium, and the local API asks the premium gate before it
opens one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass

WINDOWS, MACOS, LINUX = "windows", "macos", "linux"

Argv = tuple[str, ...]


def _windows(uri: str) -> tuple[Argv, ...]:
    # explorer.exe hands a URI to its registered handler, as a click in the Start menu would.
    return (("explorer.exe", uri),)


def _macos(uri: str) -> tuple[Argv, ...]:
    return (("open", uri),)


QUICK_LINKS: dict[str, dict[str, tuple[Argv, ...]]] = {
    "wifi": {
        WINDOWS: _windows("ms-settings:network-wifi"),
        MACOS: _macos("x-apple.systempreferences:com.apple.wifi-settings-extension"),
        LINUX: (
            ("gnome-control-center", "wifi"),
            ("systemsettings", "kcm_networkmanagement"),
            ("nm-connection-editor",),
        ),
    },
    "network": {
        WINDOWS: _windows("ms-settings:network-status"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Network-Settings.extension"),
        LINUX: (
            ("gnome-control-center", "network"),
            ("systemsettings", "kcm_networkmanagement"),
            ("nm-connection-editor",),
        ),
    },
    "proxy": {
        WINDOWS: _windows("ms-settings:network-proxy"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Network-Settings.extension"),
        LINUX: (("gnome-control-center", "network"), ("systemsettings", "kcm_proxy")),
    },
    "updates": {
        WINDOWS: _windows("ms-settings:windowsupdate"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Software-Update-Settings.extension"),
        LINUX: (("gnome-software", "--mode=updates"), ("plasma-discover", "--mode", "update")),
    },
    "firewall": {
        WINDOWS: _windows("windowsdefender://network/"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Network-Settings.extension?Firewall"),
        LINUX: (("gufw",), ("firewall-config",)),
    },
    "antivirus": {
        WINDOWS: _windows("windowsdefender:"),
        MACOS: _macos("x-apple.systempreferences:com.apple.settings.PrivacySecurity.extension"),
        LINUX: (("gnome-control-center", "privacy"), ("systemsettings", "kcm_firewall")),
    },
    "storage": {
        WINDOWS: _windows("ms-settings:storagesense"),
        MACOS: _macos("x-apple.systempreferences:com.apple.settings.Storage"),
        LINUX: (("baobab",), ("filelight",), ("gnome-disks",)),
    },
    "date_time": {
        WINDOWS: _windows("ms-settings:dateandtime"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Date-Time-Settings.extension"),
        LINUX: (("gnome-control-center", "datetime"), ("systemsettings", "kcm_clock")),
    },
    "power": {
        WINDOWS: _windows("ms-settings:powersleep"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Battery-Settings.extension"),
        LINUX: (
            ("gnome-control-center", "power"),
            ("systemsettings", "kcm_powerdevilprofilesconfig"),
        ),
    },
    "mail": {
        WINDOWS: _windows("ms-settings:emailandaccounts"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Internet-Accounts-Settings.extension"),
        LINUX: (
            ("gnome-control-center", "online-accounts"),
            ("systemsettings", "kcm_kaccounts"),
            ("thunderbird",),
        ),
    },
    "accounts": {
        WINDOWS: _windows("ms-settings:yourinfo"),
        MACOS: _macos("x-apple.systempreferences:com.apple.Users-Groups-Settings.extension"),
        LINUX: (
            ("gnome-control-center", "users"),
            ("systemsettings", "kcm_users"),
            ("users-admin",),
        ),
    },
    "startup_apps": {
        WINDOWS: _windows("ms-settings:startupapps"),
        MACOS: _macos("x-apple.systempreferences:com.apple.LoginItems-Settings.extension"),
        LINUX: (("gnome-tweaks",), ("systemsettings", "kcm_autostart")),
    },
    "task_manager": {
        WINDOWS: (("taskmgr.exe",),),
        MACOS: (("open", "-a", "Activity Monitor"),),
        LINUX: (("gnome-system-monitor",), ("plasma-systemmonitor",), ("ksysguard",)),
    },
}


FREE_QUICK_LINKS_FEATURE = "connection_quick_links"
PREMIUM_QUICK_LINKS_FEATURE = "quick_links"
FREE_QUICK_LINKS = frozenset({"network", "wifi", "proxy", "mail"})


def is_free_quick_link(link_id: str) -> bool:
    return link_id in FREE_QUICK_LINKS


def quick_link_feature(link_id: str) -> str:
    """The catalogue feature that opens `link_id`: free for the connection's settings."""
    if is_free_quick_link(link_id):
        return FREE_QUICK_LINKS_FEATURE
    return PREMIUM_QUICK_LINKS_FEATURE


def current_os(platform: str = sys.platform) -> str:
    if platform.startswith("win"):
        return WINDOWS
    if platform == "darwin":
        return MACOS
    return LINUX


class UnknownQuickLink(LookupError):
    """The page asked for an id this table does not have."""


@dataclass
class QuickLinks:
    """Resolves and opens quick links for one operating system.

    `search_path` is the PATH the programs are looked up in (None: the process's own).
    """

    os_name: str
    search_path: str | None = None

    def resolve(self, link_id: str) -> Argv | None:
        """The command that opens `link_id` here, or None where this computer has no tool."""
        try:
            candidates = QUICK_LINKS[link_id].get(self.os_name, ())
        except KeyError:
            raise UnknownQuickLink(link_id) from None
        for argv in candidates:
            program = shutil.which(argv[0], path=self.search_path)
            if program:
                return (program, *argv[1:])
        return None

    def available(self, link_id: str) -> bool:
        return link_id in QUICK_LINKS and self.resolve(link_id) is not None

    def launch(self, link_id: str) -> Argv | None:
        """Starts the settings page for `link_id`; returns the command, None if none exists."""
        argv = self.resolve(link_id)
        if argv is None:
            return None
        process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=self.os_name != WINDOWS,
        )
        # Reap the settings tool when the customer closes it, so no zombie stays behind.
        threading.Thread(target=process.wait, daemon=True).start()
        return argv
