"""The macOS backend's parsers on recorded output of airport, system_profiler and others."""

from __future__ import annotations

from diagnostics_support import DATA

from assistant.diagnostics.platform import _macos_parse as parse

MACOS = DATA / "macos"


def recorded(name: str) -> str:
    return (MACOS / name).read_text(encoding="utf-8")


def test_airport_connected_on_5_ghz():
    wifi = parse.parse_airport(recorded("airport_connected.txt"))
    assert (wifi.connected, wifi.ssid, wifi.rssi_dbm) == (True, "Heimnetz", -61.0)
    assert (wifi.signal_percent, wifi.channel, wifi.band) == (78.0, 36, "5 GHz")


def test_airport_off_and_the_deprecated_tool():
    off = parse.parse_airport(recorded("airport_off.txt"))
    assert (off.adapter_present, off.connected) == (True, False)
    # macOS 14.4 and later print only a notice: the parser says "no answer here".
    assert parse.parse_airport(recorded("airport_deprecated.txt")) is None


def test_system_profiler_wifi_with_a_hidden_network_name():
    wifi = parse.parse_system_profiler_wifi(recorded("system_profiler_wifi.json"))
    assert (wifi.connected, wifi.interface, wifi.ssid) == (True, "en0", None)
    assert (wifi.rssi_dbm, wifi.signal_percent) == (-71.0, 58.0)
    assert (wifi.channel, wifi.band) == (6, "2.4 GHz")


def test_firewall_and_gatekeeper_states():
    assert parse.parse_firewall_state(recorded("socketfilterfw_enabled.txt")) is True
    assert parse.parse_firewall_state(recorded("socketfilterfw_disabled.txt")) is False
    assert parse.parse_gatekeeper(recorded("spctl_enabled.txt")) is True
    assert parse.parse_gatekeeper(recorded("spctl_disabled.txt")) is False


def test_software_update_pending_and_none():
    pending, restart = parse.parse_softwareupdate(recorded("softwareupdate_pending.txt"))
    assert [(u.name, u.security) for u in pending] == [
        ("macOS Sonoma 14.7.1", True),
        ("Safari", False),
        ("Command Line Tools for Xcode", False),
    ]
    assert restart is True
    assert parse.parse_softwareupdate(recorded("softwareupdate_none.txt")) == ([], False)


def test_login_window_auto_login_and_guest():
    data = (MACOS / "loginwindow_autologin_guest.plist").read_bytes()
    assert parse.parse_loginwindow(data) == ("anna", True)


def test_xprotect_battery_gateway_and_dns():
    assert parse.parse_xprotect((MACOS / "xprotect_info.plist").read_bytes()) == "5278"
    battery = parse.parse_power(recorded("system_profiler_power.txt"))
    assert (battery.health_percent, battery.cycle_count) == (71.0, 412)
    assert battery.condition == "Service Recommended"
    assert parse.parse_route_get(recorded("route_get_default.txt")) == "192.168.178.1"
    assert parse.parse_scutil_dns(recorded("scutil_dns.txt")) == [
        "192.168.178.1",
        "fd00::3a10:d5ff:feaa:bbcc",
    ]
