"""Reading the answers of macOS's tools; pure functions, tested on recorded output."""

from __future__ import annotations

import json
import plistlib
import re
from datetime import UTC, datetime
from typing import Any

from assistant.diagnostics.facts import PendingUpdate, WifiFacts
from assistant.diagnostics.platform._common import band_of_channel, parse_band, quality_of_rssi
from assistant.diagnostics.platform.base import BatteryHealth


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
    """``scutil --dns``: the name servers of the first (default) resolver."""
    servers: list[str] = []
    for block in re.split(r"^resolver #\d+", text, flags=re.MULTILINE)[1:2]:
        servers += re.findall(r"nameserver\[\d+\]\s*:\s*(\S+)", block)
    return servers


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
            band=parse_band(channel_text) or (band_of_channel(channel) if channel else None),
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


def parse_softwareupdate(text: str) -> tuple[list[PendingUpdate], bool]:
    """``softwareupdate -l``: the pending updates and whether one needs a restart."""
    updates = []
    restart = False
    for match in re.finditer(r"^\* Label: (.+)\n\s*Title: (.+)$", text, re.MULTILINE):
        details = match.group(2)
        title = details.split(",")[0].strip()
        restart = restart or "restart" in details.lower()
        # macOS and its security responses ("Rapid Security Response", "Background
        # Security Improvement") carry the fixes; apps such as Safari rarely do alone.
        security = bool(re.search(r"macOS|Security", title))
        updates.append(PendingUpdate(name=title, security=security))
    return updates, restart


def parse_loginwindow(data: bytes) -> tuple[str | None, bool | None]:
    """/Library/Preferences/com.apple.loginwindow.plist: (auto-login user, guest enabled)."""
    prefs = plistlib.loads(data)
    guest = prefs.get("GuestEnabled")
    return prefs.get("autoLoginUser") or None, None if guest is None else bool(guest)


def parse_xprotect(data: bytes) -> str | None:
    """XProtect's version from its bundle's Info.plist."""
    info = plistlib.loads(data)
    return info.get("CFBundleShortVersionString") or info.get("CFBundleVersion")


def parse_power(text: str) -> BatteryHealth:
    """``system_profiler SPPowerDataType``: maximum capacity, cycle count, condition."""
    fields = _fields(text)
    capacity = re.match(r"(\d+)\s*%", fields.get("Maximum Capacity", ""))
    cycles = fields.get("Cycle Count", "")
    return BatteryHealth(
        health_percent=float(capacity.group(1)) if capacity else None,
        cycle_count=int(cycles) if cycles.isdigit() else None,
        condition=fields.get("Condition") or None,
    )


def plist_date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None
