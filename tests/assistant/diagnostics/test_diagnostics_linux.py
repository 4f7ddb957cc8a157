"""The Linux backend: its parsers on recorded output, and the backend on a tree of real files."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from assistant.diagnostics.collectors.smart import parse_scan, parse_smartctl
from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.platform import PlatformBackend
from assistant.diagnostics.platform import _linux_parse as parse
from assistant.diagnostics.platform._linux import LinuxBackend
from assistant.diagnostics.platform._macos import MacOSBackend
from assistant.diagnostics.platform._unsupported import UnsupportedBackend
from assistant.diagnostics.platform._windows import WindowsBackend
from tests.assistant.diagnostics.diagnostics_support import DATA, run

LINUX = DATA / "linux"


def recorded(name: str) -> str:
    return (LINUX / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "backend", [LinuxBackend, WindowsBackend, MacOSBackend, UnsupportedBackend]
)
def test_every_backend_answers_every_question_of_the_interface(backend):
    abstract = {
        name
        for name, member in inspect.getmembers(PlatformBackend)
        if getattr(member, "__isabstractmethod__", False)
    }
    assert abstract  # the interface has questions, and each backend answers all of them
    instance = backend(CommandRunner())
    for name in abstract:
        assert not getattr(getattr(instance, name), "__isabstractmethod__", False), name


def test_default_gateway_is_the_route_with_the_lowest_metric():
    assert parse.parse_route_table(recorded("proc_net_route.txt")) == "192.168.0.1"


def test_wifi_from_nmcli_with_a_colon_in_the_network_name():
    wifi = parse.parse_nmcli_wifi(recorded("nmcli_wifi.txt"))
    assert (wifi.ssid, wifi.signal_percent, wifi.band, wifi.channel) == (
        "Fam:Schmidt 5G",
        74.0,
        "5 GHz",
        36,
    )
    assert parse.parse_nmcli_wifi(recorded("nmcli_wifi_none_active.txt")) is None


def test_wifi_from_proc_and_iw():
    levels = parse.parse_proc_wireless(recorded("proc_net_wireless.txt"))
    assert levels == {"wlp2s0": (68.6, -62.0)}
    iw = parse.parse_iw_link(recorded("iw_link.txt"))
    wifi = parse.wifi_from_proc("wlp2s0", *levels["wlp2s0"], iw)
    assert (wifi.ssid, wifi.band, wifi.channel, wifi.rssi_dbm) == (
        "FRITZ!Box 7590 XQ",
        "2.4 GHz",
        6,
        -62.0,
    )
    assert parse.parse_iw_link("Not connected.\n") == {}


def test_firewall_answers():
    assert parse.parse_ufw_status(recorded("ufw_status_active.txt")) is True
    assert parse.parse_ufw_status(recorded("ufw_status_inactive.txt")) is False
    assert parse.parse_nft_ruleset(recorded("nft_ruleset_drop.json")) is True
    assert parse.parse_nft_ruleset(recorded("nft_ruleset_debian_default.json")) is False


def test_clamav_and_package_updates():
    name, signatures = parse.parse_clamscan_version(recorded("clamscan_version.txt"))
    assert name == "ClamAV 0.103.11"
    assert signatures.isoformat() == "2023-11-13T09:37:27+00:00"
    apt = parse.parse_apt_simulation(recorded("apt_get_s_upgrade.txt"))
    assert [(u.name, u.security) for u in apt] == [
        ("base-files", False),
        ("libssl3", True),
        ("openssl", True),
        ("tzdata", False),
    ]
    dnf = parse.parse_dnf_check_update(recorded("dnf_check_update.txt"))
    assert [u.name for u in dnf] == ["firefox", "kernel", "python3-urllib3"]


def test_smartctl_answers_healthy_worn_failing_and_denied():
    sata = parse_smartctl("/dev/sda", "sat", recorded("smartctl_sata_passed.json"), True)
    assert (sata.passed, sata.reallocated_sectors, sata.pending_sectors) == (True, 3, 0)
    assert (sata.model, sata.temperature_c, sata.power_on_hours) == (
        "Samsung SSD 860 EVO 500GB",
        34,
        27311,
    )
    nvme = parse_smartctl("/dev/nvme0", "nvme", recorded("smartctl_nvme_worn.json"), True)
    assert (nvme.passed, nvme.percentage_used, nvme.media_errors) == (True, 93, 0)
    failing = parse_smartctl("/dev/sdb", None, recorded("smartctl_failing.json"), True)
    assert failing.passed is False and failing.reallocated_sectors == 3952
    denied = parse_smartctl("/dev/sda", "sat", recorded("smartctl_permission_denied.json"), False)
    assert denied.passed is None and "administrator" in denied.unknown_reason
    assert parse_scan(recorded("smartctl_scan_open.json")) == [
        ("/dev/sda", "sat"),
        ("/dev/nvme0", "nvme"),
    ]


@pytest.fixture
def root(tmp_path) -> Path:
    """A small Linux file tree: routes, resolver, a Wi-Fi card, a battery, login settings."""
    files = {
        "proc/net/route": recorded("proc_net_route.txt"),
        "proc/net/wireless": recorded("proc_net_wireless.txt"),
        "etc/resolv.conf": "# from the router\nnameserver 192.168.0.1\nnameserver 9.9.9.9\n",
        "etc/gdm3/custom.conf": "[daemon]\nAutomaticLoginEnable=True\nAutomaticLogin=anna\n",
        "etc/lightdm/lightdm.conf.d/50-guest.conf": "[Seat:*]\nallow-guest=true\n",
        "sys/class/net/wlp2s0/wireless/.keep": "",
        "sys/class/power_supply/BAT0/energy_full": "38100000\n",
        "sys/class/power_supply/BAT0/energy_full_design": "57000000\n",
        "sys/class/power_supply/BAT0/cycle_count": "512\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_backend_reads_its_facts_from_the_file_tree(root, tmp_path_factory):
    # A PATH without nmcli and iw: the Wi-Fi facts come from /proc alone.
    runner = CommandRunner(path=str(tmp_path_factory.mktemp("empty-bin")))
    backend = LinuxBackend(runner, root=root)
    assert run(backend.default_gateway()) == "192.168.0.1"
    assert run(backend.dns_servers()) == ["192.168.0.1", "9.9.9.9"]
    wifi = run(backend.wifi())
    assert (wifi.connected, wifi.interface, wifi.signal_percent) == (True, "wlp2s0", 68.6)
    accounts = run(backend.accounts())
    assert (accounts.auto_login, accounts.auto_login_user, accounts.guest_enabled) == (
        True,
        "anna",
        True,
    )
    health = run(backend.battery_health())
    assert (health.health_percent, health.cycle_count) == (66.8, 512)


def test_backend_without_firewall_or_package_tools_says_so(root, tmp_path_factory):
    from assistant.diagnostics.errors import ToolMissing

    backend = LinuxBackend(CommandRunner(path=str(tmp_path_factory.mktemp("bin"))), root=root)
    with pytest.raises(ToolMissing, match="firewall"):
        run(backend.firewall())
    with pytest.raises(ToolMissing, match="package manager"):
        run(backend.updates())
    assert run(backend.antivirus()).products == []


def test_pending_updates_from_this_machines_apt():
    facts = run(LinuxBackend(CommandRunner()).updates())
    assert facts.source == "apt"
    assert facts.pending_count >= facts.security_count >= 0
    assert len(facts.updates) == min(facts.pending_count, 50)
