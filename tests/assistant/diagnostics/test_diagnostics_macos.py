"""The macOS backend's parsers on recorded output of airport, system_profiler and others.

Updates and the battery have test files of their own, beside their parsers.
"""

from __future__ import annotations

from assistant.diagnostics.platform import _macos_parse as parse
from tests.assistant.diagnostics.diagnostics_support import DATA, recording

MACOS = DATA / "macos"


def recorded(name: str) -> str:
    return recording(MACOS / name).decode("utf-8")


def test_airport_connected_on_5_ghz():
    wifi = parse.parse_airport(recorded("constructed_airport_connected.txt"))
    assert (wifi.connected, wifi.ssid, wifi.rssi_dbm) == (True, "Heimnetz", -61.0)
    assert (wifi.signal_percent, wifi.channel, wifi.band) == (78.0, 36, "5 GHz")


def test_airport_off_and_the_deprecated_tool():
    off = parse.parse_airport(recorded("constructed_airport_off.txt"))
    assert (off.adapter_present, off.connected) == (True, False)
    # macOS 14.4 and later print only a notice: the parser says "no answer here".
    assert parse.parse_airport(recorded("constructed_airport_deprecated.txt")) is None


def test_system_profiler_wifi_with_a_hidden_network_name():
    wifi = parse.parse_system_profiler_wifi(recorded("constructed_system_profiler_wifi.json"))
    assert (wifi.connected, wifi.interface, wifi.ssid) == (True, "en0", None)
    assert (wifi.rssi_dbm, wifi.signal_percent) == (-71.0, 58.0)
    assert (wifi.channel, wifi.band) == (6, "2.4 GHz")


def test_firewall_and_gatekeeper_states():
    assert parse.parse_firewall_state(recorded("constructed_socketfilterfw_enabled.txt")) is True
    assert parse.parse_firewall_state(recorded("constructed_socketfilterfw_disabled.txt")) is False
    assert parse.parse_gatekeeper(recorded("constructed_spctl_enabled.txt")) is True
    assert parse.parse_gatekeeper(recorded("constructed_spctl_disabled.txt")) is False


def test_login_window_auto_login_and_guest():
    data = recording(MACOS / "constructed_loginwindow_autologin_guest.plist")
    assert parse.parse_loginwindow(data) == ("anna", True)


def test_xprotect_gateway_and_dns():
    assert parse.parse_xprotect(recording(MACOS / "constructed_xprotect_info.plist")) == "5278"
    assert parse.parse_route_get(recorded("constructed_route_get_default.txt")) == "192.168.178.1"
    assert parse.parse_scutil_dns(recorded("constructed_scutil_dns.txt")) == [
        "192.168.178.1",
        "fd00::3a10:d5ff:feaa:bbcc",
    ]


def test_dns_servers_are_the_general_resolver_not_a_vpn_supplemental_one():
    # Tailscale (like many VPN clients) puts its resolver first, marked Supplemental:
    # it answers only for its own domains; the computer's DNS server comes after it.
    servers = parse.parse_scutil_dns(recorded("scutil_dns_tailscale_supplemental_first.txt"))
    assert servers == ["10.0.0.1"]


def test_dns_servers_unknown_when_every_resolver_is_domain_bound():
    only_vpn = recorded("scutil_dns_tailscale_supplemental_first.txt").split("resolver #2")[0]
    assert parse.parse_scutil_dns(only_vpn) == []
