"""The Windows backend's parsers on recorded output of netsh, PowerShell, whoami, reg, route.

German recordings are kept in the console's code page (cp850), as the tools write them.
The Wi-Fi parser, with its published captures in several languages, has its own test file.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.diagnostics.commands import decode_output
from assistant.diagnostics.errors import AccessDenied
from assistant.diagnostics.platform import _windows_parse as parse
from assistant.diagnostics.platform._windows import WindowsBackend
from tests.assistant.diagnostics.diagnostics_support import DATA, RecordedRunner, recording, run

WINDOWS = DATA / "windows"


def recorded(name: str) -> str:
    return decode_output(recording(WINDOWS / name))


def test_german_console_output_is_decoded_from_the_oem_code_page():
    text = recorded("constructed_netsh_wlan_connected_de_cp850.txt")
    assert "Verschlüsselung" in text
    assert "Übertragungsrate" in text


def test_firewall_profiles_english_with_public_off():
    profiles = parse.parse_netsh_firewall(recorded("constructed_netsh_firewall_public_off_en.txt"))
    assert [(p.name, p.enabled) for p in profiles] == [
        ("domain", True),
        ("private", True),
        ("public", False),
    ]


def test_firewall_profiles_german_all_on():
    profiles = parse.parse_netsh_firewall(
        recorded("constructed_netsh_firewall_all_on_de_cp850.txt")
    )
    assert [p.enabled for p in profiles] == [True, True, True]


def test_defender_status_with_its_signature_age():
    now = datetime(2024, 11, 26, 7, 0, tzinfo=UTC)
    defender = parse.parse_defender(recorded("constructed_mpcomputerstatus.json"), now)
    assert defender.enabled is True and defender.real_time is True
    assert defender.signatures_updated == datetime(2024, 11, 24, 7, 0, tzinfo=UTC)
    assert defender.signature_age_days == 2.0


def test_defender_in_passive_mode_does_not_count_as_protection():
    defender = parse.parse_defender(
        recorded("constructed_mpcomputerstatus_passive.json"), datetime.now(UTC)
    )
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
    products = parse.parse_security_center(recorded("constructed_securitycenter_third_party.json"))
    assert [(p.name, p.enabled) for p in products] == [
        ("Windows Defender", False),
        ("Avira Security", True),
    ]
    (single,) = parse.parse_security_center(
        recorded("constructed_securitycenter_defender_outdated.json")
    )
    assert (single.enabled, single.up_to_date) == (True, False)


def test_windows_update_counts_security_updates_and_restart():
    pending, restart, checked = parse.parse_windows_update(
        recorded("constructed_windows_update.json")
    )
    assert len(pending) == 3
    assert [u.security for u in pending] == [True, False, False]
    assert restart is True
    assert checked == datetime(2024, 11, 23, 7, 0, tzinfo=UTC)


def test_auto_login_from_the_registry():
    text = recorded("constructed_reg_winlogon_autologon.txt")
    assert parse.parse_reg_value(text, "AutoAdminLogon") == "1"
    assert parse.parse_reg_value(text, "DefaultUserName") == "Anna"
    assert parse.parse_reg_value(text, "LegalNoticeCaption") == ""
    assert parse.parse_reg_value(text, "NoSuchValue") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("constructed_whoami_groups_admin_not_elevated_en.csv", (True, False)),
        ("constructed_whoami_groups_elevated_en.csv", (True, True)),
        ("constructed_whoami_groups_standard_de_cp850.csv", (False, False)),
    ],
)
def test_administrator_membership_and_elevation_in_any_language(name, expected):
    assert parse.parse_whoami_groups(recorded(name)) == expected


def test_guest_account_gateway_dns_and_battery():
    assert parse.parse_guest_account(recorded("constructed_localuser_guest_disabled.json")) is False
    assert (
        parse.parse_route_print(recorded("constructed_route_print_de_cp850.txt")) == "192.168.178.1"
    )
    assert parse.parse_dns_servers(recorded("constructed_dns_servers.json")) == [
        "192.168.178.1",
        "9.9.9.9",
    ]
    battery = parse.parse_battery(recorded("constructed_battery.json"))
    assert (battery.health_percent, battery.cycle_count) == (72.3, 412)


def test_backend_turns_the_wifi_location_prompt_into_access_denied():
    backend = WindowsBackend(
        RecordedRunner({"netsh wlan": recorded("constructed_netsh_wlan_location_en.txt")})
    )
    with pytest.raises(AccessDenied) as denied:
        run(backend.wifi())
    assert "location" in denied.value.reason


def test_backend_firewall_and_antivirus_from_recordings():
    backend = WindowsBackend(
        RecordedRunner(
            {
                "netsh advfirewall": recorded("constructed_netsh_firewall_public_off_en.txt"),
                "SecurityCenter2": recorded("constructed_securitycenter_third_party.json"),
                "Get-MpComputerStatus": recorded("constructed_mpcomputerstatus_passive.json"),
            }
        )
    )
    firewall = run(backend.firewall())
    assert firewall.enabled is False and len(firewall.profiles) == 3
    antivirus = run(backend.antivirus())
    names = {p.name: p for p in antivirus.products}
    assert names["Avira Security"].enabled is True
    assert names["Windows Defender"].real_time is False  # Defender's details merged in
