"""Reading the answers of Windows' tools; pure functions, tested on recorded output.

netsh and whoami speak the language of the installation, so the parsers know the German
words beside the English ones, or rely on what does not change with the language (the
order of firewall profiles, the well-known SIDs). PowerShell is asked for JSON. The Wi-Fi
parser, with its table of labels in five languages, is `_windows_wlan`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from typing import Any

from assistant.diagnostics.platform._common import age_days, parse_json_date
from assistant.diagnostics.platform.base import BatteryHealth
from isp_common.diagnostics.facts import (
    AntivirusProduct,
    FirewallProfile,
    PendingUpdate,
)

ADMINISTRATORS_SID = "S-1-5-32-544"
_HIGH_INTEGRITY_SID = "S-1-16-12288"  # present only in an elevated (UAC "yes") token


def json_items(text: str) -> list[dict[str, Any]]:
    """ConvertTo-Json gives an object for one item, a list for several, nothing for none."""
    text = text.strip()
    if not text:
        return []
    data = json.loads(text)
    return data if isinstance(data, list) else [data]


def parse_netsh_firewall(text: str) -> list[FirewallProfile]:
    """``netsh advfirewall show allprofiles state``: always domain, private, public in order."""
    names = ["domain", "private", "public"]
    profiles = []
    for match in re.finditer(r"^\s*(?:State|Status)\s+(\S+)\s*$", text, re.MULTILINE):
        if len(profiles) == len(names):
            break
        value = match.group(1).upper()
        profiles.append(FirewallProfile(name=names[len(profiles)], enabled=value in {"ON", "EIN"}))
    return profiles


def parse_defender(text: str, now: datetime) -> AntivirusProduct | None:
    """``Get-MpComputerStatus | ConvertTo-Json`` (selected fields)."""
    items = json_items(text)
    if not items:
        return None
    status = items[0]
    updated = parse_json_date(status.get("AntivirusSignatureLastUpdated"))
    passive = "passive" in str(status.get("AMRunningMode", "")).lower()
    enabled = bool(status.get("AntivirusEnabled")) and not passive
    return AntivirusProduct(
        name="Microsoft Defender Antivirus",
        enabled=enabled,
        real_time=status.get("RealTimeProtectionEnabled"),
        signatures_updated=updated,
        signature_age_days=age_days(updated, now)
        if updated
        else status.get("AntivirusSignatureAge"),
    )


def decode_product_state(state: int) -> tuple[bool, bool]:
    """Security Center's productState: (enabled, signatures up to date).

    Undocumented but stable since Vista: bits 12-15 say on (1) or off, bits 4-7 say
    up to date (0) or out of date (1); e.g. 397568 = 0x061100 is on and up to date.
    """
    return (state >> 12) & 0xF == 1, (state >> 4) & 0xF == 0


def parse_security_center(text: str) -> list[AntivirusProduct]:
    """``Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct``."""
    products = []
    for item in json_items(text):
        enabled, current = decode_product_state(int(item.get("productState", 0)))
        products.append(
            AntivirusProduct(name=item.get("displayName", "?"), enabled=enabled, up_to_date=current)
        )
    return products


def parse_windows_update(text: str) -> tuple[list[PendingUpdate], bool | None, datetime | None]:
    """Our Windows Update query: pending updates, restart needed, last successful search."""
    items = json_items(text)
    if not items:
        return [], None, None
    data = items[0]
    updates = []
    for update in data.get("Updates") or []:
        categories = str(update.get("Categories") or "").lower()
        security = (
            bool(update.get("MsrcSeverity"))
            or "security" in categories
            or ("sicherheit" in categories)
        )
        updates.append(PendingUpdate(name=update.get("Title", "?"), security=security))
    return updates, data.get("RebootRequired"), parse_json_date(data.get("LastSearchSuccess"))


def parse_reg_value(text: str, value: str) -> str | None:
    """One value from ``reg query <key> /v <value>``: ``    Name    REG_SZ    Data``."""
    for line in text.splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) >= 2 and parts[0].lower() == value.lower() and parts[1].startswith("REG_"):
            return parts[2].strip() if len(parts) == 3 else ""
    return None


def parse_guest_account(text: str) -> bool | None:
    """``Get-LocalUser`` filtered to the well-known guest SID (...-501): Enabled or not."""
    items = json_items(text)
    return bool(items[0].get("Enabled")) if items else None


def parse_whoami_groups(text: str) -> tuple[bool, bool]:
    """``whoami /groups /fo csv``: (member of Administrators, running elevated).

    With UAC the Administrators group is listed "for deny only" until elevated; membership
    still means the account can change the whole computer after one click.
    """
    sids = {row.get("SID", "").strip() for row in csv.DictReader(io.StringIO(text.strip()))}
    return ADMINISTRATORS_SID in sids, _HIGH_INTEGRITY_SID in sids


def parse_route_print(text: str) -> str | None:
    """The gateway of the best default route in ``route print -4`` (any language)."""
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 5 and fields[0] == "0.0.0.0" and fields[1] == "0.0.0.0":
            if not re.fullmatch(r"\d+\.\d+\.\d+\.\d+", fields[2]) or not fields[4].isdigit():
                continue  # "On-link" / "Auf Verbindung": no gateway
            if best is None or int(fields[4]) < best[0]:
                best = (int(fields[4]), fields[2])
    return best[1] if best else None


def parse_dns_servers(text: str) -> list[str]:
    servers: list[str] = []
    for item in json_items(text):
        addresses = item.get("ServerAddresses") or []
        for address in [addresses] if isinstance(addresses, str) else addresses:
            if address not in servers:
                servers.append(address)
    return servers


def parse_battery(text: str) -> BatteryHealth:
    """Our battery query of root/wmi: design and full-charge capacity, cycle count."""
    items = json_items(text)
    if not items:
        return BatteryHealth()
    data = items[0]
    design, full = data.get("DesignedCapacity"), data.get("FullChargedCapacity")
    health = round(100 * full / design, 1) if design and full else None
    return BatteryHealth(health_percent=health, cycle_count=data.get("CycleCount") or None)


def utc_now() -> datetime:
    return datetime.now(UTC)
