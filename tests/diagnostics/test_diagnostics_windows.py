"""The Windows backend's parsers on recorded output of netsh, PowerShell, whoami, reg, route.

German recordings are kept in the console's code page (cp850), as the tools write them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from diagnostics_support import DATA, run

from assistant.diagnostics.commands import CommandResult, CommandRunner, decode_output
from assistant.diagnostics.errors import AccessDenied
from assistant.diagnostics.platform import _windows_parse as parse
from assistant.diagnostics.platform._windows import WindowsBackend

WINDOWS = DATA / "windows"


def recorded(name: str) -> str:
    return decode_output((WINDOWS / name).read_bytes())


def test_german_console_output_is_decoded_from_the_oem_code_page():
    text = recorded("netsh_wlan_connected_de_cp850.txt")
    assert "Verschlüsselung" in text
    assert "Übertragungsrate" in text


def test_wifi_connected_english_windows_11_with_band():
    wifi = parse.parse_netsh_wlan(recorded("netsh_wlan_connected_en.txt"))
    assert (wifi.connected, wifi.ssid, wifi.signal_percent) == (True, "FRITZ!Box 7590 XQ", 84.0)
    assert (wifi.band, wifi.channel, wifi.interface) == ("5 GHz", 44, "Wi-Fi")


def test_wifi_connected_german_windows_10_band_from_channel():
    wifi = parse.parse_netsh_wlan(recorded("netsh_wlan_connected_de_cp850.txt"))
    assert (wifi.connected, wifi.ssid, wifi.signal_percent) == (True, "Vodafone-A1B2", 38.0)
    assert (wifi.band, wifi.channel, wifi.interface) == ("2.4 GHz", 6, "WLAN")


def test_wifi_disconnected_and_no_adapter():
    disconnected = parse.parse_netsh_wlan(recorded("netsh_wlan_disconnected_en.txt"))
    assert (disconnected.adapter_present, disconnected.connected) == (True, False)
    absent = parse.parse_netsh_wlan(recorded("netsh_wlan_no_interface_en.txt"))
    assert absent.adapter_present is False


def test_firewall_profiles_english_with_public_off():
    profiles = parse.parse_netsh_firewall(recorded("netsh_firewall_public_off_en.txt"))
    assert [(p.name, p.enabled) for p in profiles] == [
        ("domain", True),
        ("private", True),
        ("public", False),
    ]


def test_firewall_profiles_german_all_on():
    profiles = parse.parse_netsh_firewall(recorded("netsh_firewall_all_on_de_cp850.txt"))
    assert [p.enabled for p in profiles] == [True, True, True]


def test_defender_status_with_its_signature_age():
    now = datetime(2024, 11, 26, 7, 0, tzinfo=UTC)
    defender = parse.parse_defender(recorded("mpcomputerstatus.json"), now)
    assert defender.enabled is True and defender.real_time is True
    assert defender.signatures_updated == datetime(2024, 11, 24, 7, 0, tzinfo=UTC)
    assert defender.signature_age_days == 2.0


def test_defender_in_passive_mode_does_not_count_as_protection():
    defender = parse.parse_defender(recorded("mpcomputerstatus_passive.json"), datetime.now(UTC))
    assert defender.enabled is False


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (397568, (True, True)),
        (397584, (True, False)),
        (393472, (False, True)),
        (266240, (True, True)),
        (262144, (False, True)),
    ],
)
def test_security_center_product_state(state, expected):
    assert parse.decode_product_state(state) == expected


def test_security_center_lists_third_party_scanner_and_single_objects():
    products = parse.parse_security_center(recorded("securitycenter_third_party.json"))
    assert [(p.name, p.enabled) for p in products] == [
        ("Windows Defender", False),
        ("Avira Security", True),
    ]
    (single,) = parse.parse_security_center(recorded("securitycenter_defender_outdated.json"))
    assert (single.enabled, single.up_to_date) == (True, False)


def test_windows_update_counts_security_updates_and_restart():
    pending, restart, checked = parse.parse_windows_update(recorded("windows_update.json"))
    assert len(pending) == 3
    assert [u.security for u in pending] == [True, False, False]
    assert restart is True
    assert checked == datetime(2024, 11, 23, 7, 0, tzinfo=UTC)


def test_auto_login_from_the_registry():
    text = recorded("reg_winlogon_autologon.txt")
    assert parse.parse_reg_value(text, "AutoAdminLogon") == "1"
    assert parse.parse_reg_value(text, "DefaultUserName") == "Anna"
    assert parse.parse_reg_value(text, "LegalNoticeCaption") == ""
    assert parse.parse_reg_value(text, "NoSuchValue") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("whoami_groups_admin_not_elevated_en.csv", (True, False)),
        ("whoami_groups_elevated_en.csv", (True, True)),
        ("whoami_groups_standard_de_cp850.csv", (False, False)),
    ],
)
def test_administrator_membership_and_elevation_in_any_language(name, expected):
    assert parse.parse_whoami_groups(recorded(name)) == expected


def test_guest_account_gateway_dns_and_battery():
    assert parse.parse_guest_account(recorded("localuser_guest_disabled.json")) is False
    assert parse.parse_route_print(recorded("route_print_de_cp850.txt")) == "192.168.178.1"
    assert parse.parse_dns_servers(recorded("dns_servers.json")) == ["192.168.178.1", "9.9.9.9"]
    battery = parse.parse_battery(recorded("battery.json"))
    assert (battery.health_percent, battery.cycle_count) == (72.3, 412)


class RecordedRunner(CommandRunner):
    """Answers each command with a recording, as Windows would; for the backend's wiring."""

    def __init__(self, answers: dict[str, str]) -> None:
        super().__init__(path="")
        self.answers = answers

    def which(self, program: str) -> str | None:
        return program

    async def run(self, argv: list[str], *, timeout: float) -> CommandResult:
        key = " ".join(argv[:2]) if argv[0] != "powershell" else argv[-1]
        for needle, name in self.answers.items():
            if needle in key:
                return CommandResult(tuple(argv), 0, recorded(name), "")
        return CommandResult(tuple(argv), 1, "", "not recorded")


def test_backend_turns_the_wifi_location_prompt_into_access_denied():
    backend = WindowsBackend(RecordedRunner({"netsh wlan": "netsh_wlan_location_en.txt"}))
    with pytest.raises(AccessDenied) as denied:
        run(backend.wifi())
    assert "location" in denied.value.reason


def test_backend_firewall_and_antivirus_from_recordings():
    backend = WindowsBackend(
        RecordedRunner(
            {
                "netsh advfirewall": "netsh_firewall_public_off_en.txt",
                "SecurityCenter2": "securitycenter_third_party.json",
                "Get-MpComputerStatus": "mpcomputerstatus_passive.json",
            }
        )
    )
    firewall = run(backend.firewall())
    assert firewall.enabled is False and len(firewall.profiles) == 3
    antivirus = run(backend.antivirus())
    names = {p.name: p for p in antivirus.products}
    assert names["Avira Security"].enabled is True
    assert names["Windows Defender"].real_time is False  # Defender's details merged in
