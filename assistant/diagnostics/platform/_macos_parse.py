"""Reading the answers of macOS's tools; pure functions, tested on recorded output.

Updates (`_macos_updates`) and the battery (`_macos_power`) have modules of their own.
"""

from __future__ import annotations

import json
import plistlib
import re
from datetime import UTC, datetime
from typing import Any

from assistant.diagnostics.platform._common import band_of_channel, parse_band, quality_of_rssi
from isp_common.diagnostics.facts import WifiFacts


def _fields(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    return fields


def parse_route_get(text: str) -> str | None:
    """``route -n get default``: the line ``gateway: 192.168.178.1``."""
    gateway = _fields(text).get("gateway")
    return gateway or None


def parse_scutil_dns(text: str) -> list[str]:
    """``scutil --dns``: the name servers of the general resolver, or [] when none is.

    VPN clients (Tailscale, corporate VPNs) often come first with a resolver that only
    answers for their own domains: it carries a ``domain`` line or the ``Supplemental``
    flag. The general resolver is the first one without either; the scoped list that
    follows "DNS configuration (for scoped queries)" repeats resolvers per interface.
    """
    general = text.split("DNS configuration (for scoped queries)")[0]
    for block in re.split(r"^resolver #\d+", general, flags=re.MULTILINE)[1:]:
        flags = re.search(r"^\s*flags\s*:(.*)$", block, re.MULTILINE)
        if re.search(r"^\s*domain\s*:", block, re.MULTILINE) or (
            flags and "supplemental" in flags.group(1).lower()
        ):
            continue
        servers = re.findall(r"nameserver\[\d+\]\s*:\s*(\S+)", block)
        if servers:
            return servers
    return []


def _channel(text: str) -> int | None:
    match = re.match(r"\s*(\d+)", text)
    return int(match.group(1)) if match else None


def parse_airport(text: str) -> WifiFacts | None:
    """``airport -I``; None when the tool only prints its deprecation notice (macOS 14.4+)."""
    fields = _fields(text)
    if "AirPort" in fields and fields["AirPort"].lower() == "off":
        return WifiFacts(adapter_present=True, connected=False, source="airport")
    if "agrCtlRSSI" not in fields and "state" not in fields:
        return None
    if fields.get("state") != "running" or not fields.get("SSID"):
        return WifiFacts(adapter_present=True, connected=False, source="airport")
    rssi = float(fields["agrCtlRSSI"])
    channel = _channel(fields.get("channel", ""))
    return WifiFacts(
        adapter_present=True,
        connected=True,
        ssid=fields["SSID"],
        rssi_dbm=rssi,
        signal_percent=quality_of_rssi(rssi),
        channel=channel,
        band=band_of_channel(channel) if channel else None,
        source="airport",
    )


def parse_system_profiler_wifi(text: str) -> WifiFacts:
    """``system_profiler -json SPAirPortDataType`` (the source left since airport went)."""
    data = json.loads(text)
    interfaces: list[dict[str, Any]] = [
        interface
        for entry in data.get("SPAirPortDataType", [])
        for interface in entry.get("spairport_airport_interfaces", [])
        if interface.get("_name", "").startswith("en")
    ]
    if not interfaces:
        return WifiFacts(adapter_present=False, source="system_profiler")
    for interface in interfaces:
        network = interface.get("spairport_current_network_information")
        if not network:
            continue
        channel_text = str(network.get("spairport_network_channel", ""))
        channel = _channel(channel_text)
        signal = re.match(r"(-?\d+)\s*dBm", str(network.get("spairport_signal_noise", "")))
        rssi = float(signal.group(1)) if signal else None
        ssid = network.get("_name")
        return WifiFacts(
            adapter_present=True,
            connected=True,
            interface=interface.get("_name"),
            # Without location permission macOS hides the network name as "<redacted>".
            ssid=None if not ssid or ssid == "<redacted>" else ssid,
            rssi_dbm=rssi,
            signal_percent=quality_of_rssi(rssi) if rssi is not None else None,
            channel=channel,
            band=parse_band(channel_text)
            or (
                band_of_channel(channel, network.get("spairport_network_phymode"))
                if channel
                else None
            ),
            source="system_profiler",
        )
    return WifiFacts(
        adapter_present=True,
        connected=False,
        interface=interfaces[0].get("_name"),
        source="system_profiler",
    )


def parse_firewall_state(text: str) -> bool | None:
    """``socketfilterfw --getglobalstate``: "Firewall is enabled. (State = 1)"."""
    match = re.search(r"State\s*=\s*(\d)", text)
    if match:
        return match.group(1) != "0"
    if "enabled" in text.lower():
        return True
    if "disabled" in text.lower():
        return False
    return None


def parse_gatekeeper(text: str) -> bool | None:
    """``spctl --status``: "assessments enabled" or "assessments disabled"."""
    lowered = text.lower()
    if "assessments enabled" in lowered:
        return True
    if "assessments disabled" in lowered:
        return False
    return None


def parse_loginwindow(data: bytes) -> tuple[str | None, bool | None]:
    """/Library/Preferences/com.apple.loginwindow.plist: (auto-login user, guest enabled)."""
    prefs = plistlib.loads(data)
    guest = prefs.get("GuestEnabled")
    return prefs.get("autoLoginUser") or None, None if guest is None else bool(guest)


def parse_xprotect(data: bytes) -> str | None:
    """XProtect's version from its bundle's Info.plist."""
    info = plistlib.loads(data)
    return info.get("CFBundleShortVersionString") or info.get("CFBundleVersion")


def plist_date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None
