"""`netsh wlan show interfaces` in the languages of the installation, on published captures.

The captures in data/windows named without "constructed_" were published by people who
ran the command on their own computers (the first line of each file says where). netsh
translates its labels, writes "2,4 GHz" with a decimal comma and, in French, puts a
non-breaking space before the colon.
"""

from __future__ import annotations

import pytest

from assistant.diagnostics.commands import decode_output
from assistant.diagnostics.errors import AccessDenied, Unknown
from assistant.diagnostics.platform import _windows_wlan as wlan
from assistant.diagnostics.platform._common import band_of_channel
from assistant.diagnostics.platform._windows import WindowsBackend
from tests.assistant.diagnostics.diagnostics_support import DATA, RecordedRunner, recording, run

WINDOWS = DATA / "windows"


def recorded(name: str) -> str:
    return decode_output(recording(WINDOWS / name))


@pytest.mark.parametrize(
    ("name", "interface", "signal", "channel", "band"),
    [
        # Windows 11 names the band ("Bereich", "Bande", "Banda"), Windows 10 does not.
        ("netsh_wlan_de_win11.txt", "WLAN", 43.0, 116, "5 GHz"),
        ("netsh_wlan_fr_win11.txt", "Wi-Fi", 80.0, 11, "2.4 GHz"),
        ("netsh_wlan_es_win11.txt", "Wi-Fi", 81.0, 11, "2.4 GHz"),
        ("netsh_wlan_it_win10.txt", "Wi-Fi", 85.0, 4, "2.4 GHz"),
        ("netsh_wlan_en.txt", "Wi-Fi", 42.0, 44, "5 GHz"),
    ],
)
def test_a_connected_adapter_is_read_in_every_language_of_the_captures(
    name, interface, signal, channel, band
):
    wifi = wlan.parse_netsh_wlan(recorded(name))
    assert (wifi.adapter_present, wifi.connected, wifi.interface) == (True, True, interface)
    assert (wifi.ssid, wifi.signal_percent) == ("SSID-1", signal)
    assert (wifi.channel, wifi.band) == (channel, band)


def test_the_band_line_wins_over_the_channel_number():
    # Channel 37 exists on 6 GHz and (as a number) within the 5 GHz range: only the
    # German "Bereich" line can tell, and it says 6 GHz.
    wifi = wlan.parse_netsh_wlan(recorded("constructed_netsh_wlan_de_win11_6ghz.txt"))
    assert (wifi.channel, wifi.band) == (37, "6 GHz")


@pytest.mark.parametrize(
    ("channel", "radio", "band"),
    [
        (6, "802.11ax", "2.4 GHz"),  # no 6 GHz channel has this number
        (44, "802.11ax", "5 GHz"),
        (197, "802.11ax", "6 GHz"),  # above every 5 GHz channel
        (1, "802.11ax", None),  # 2.4 GHz channel 1 or 6 GHz channel 1
        (37, "802.11ax", None),
        (149, None, None),  # radio unknown: 5 GHz or 6 GHz channel 149
        (1, "802.11n", "2.4 GHz"),  # 6 GHz needs 802.11ax or later
        (149, "802.11ac", "5 GHz"),
    ],
)
def test_the_channel_alone_gives_a_band_only_where_it_is_unambiguous(channel, radio, band):
    assert band_of_channel(channel, radio) == band


def test_english_states_no_adapter_and_disconnected():
    absent = wlan.parse_netsh_wlan(recorded("constructed_netsh_wlan_no_interface_en.txt"))
    assert absent.adapter_present is False
    disconnected = wlan.parse_netsh_wlan(recorded("constructed_netsh_wlan_disconnected_en.txt"))
    assert (disconnected.adapter_present, disconnected.connected) == (True, False)


def test_the_german_windows_10_console_output_in_its_code_page():
    wifi = wlan.parse_netsh_wlan(recorded("constructed_netsh_wlan_connected_de_cp850.txt"))
    assert (wifi.connected, wifi.ssid, wifi.signal_percent) == (True, "Vodafone-A1B2", 38.0)
    assert (wifi.band, wifi.channel, wifi.interface) == ("2.4 GHz", 6, "WLAN")


def test_output_in_a_language_without_known_labels_is_unknown_not_absent():
    with pytest.raises(Unknown):
        wlan.parse_netsh_wlan(recorded("constructed_netsh_wlan_zh_unreadable.txt"))


def test_an_adapter_in_a_state_the_parser_does_not_know_is_not_called_disconnected():
    text = recorded("netsh_wlan_fr_win11.txt").replace("connecté", "association")
    with pytest.raises(Unknown) as unknown:
        wlan.parse_netsh_wlan(text)
    assert "association" in unknown.value.reason


def test_backend_reports_unreadable_output_as_unknown():
    runner = RecordedRunner({"netsh wlan": recorded("constructed_netsh_wlan_zh_unreadable.txt")})
    with pytest.raises(Unknown) as unknown:
        run(WindowsBackend(runner).wifi())
    assert "netsh" in unknown.value.reason


def test_backend_asks_for_the_location_permission_windows_11_wants():
    runner = RecordedRunner({"netsh wlan": recorded("netsh_wlan_location_denied_en.txt")})
    with pytest.raises(AccessDenied):
        run(WindowsBackend(runner).wifi())
    french = recorded("netsh_wlan_location_denied_en.txt").replace(
        "Network shell commands need location permission", "Les commandes netsh ont besoin"
    )
    assert wlan.wlan_needs_location(french)


def test_backend_reads_the_italian_capture():
    runner = RecordedRunner({"netsh wlan": recorded("netsh_wlan_it_win10.txt")})
    wifi = run(WindowsBackend(runner).wifi())
    assert (wifi.connected, wifi.ssid, wifi.band) == (True, "SSID-1", "2.4 GHz")
