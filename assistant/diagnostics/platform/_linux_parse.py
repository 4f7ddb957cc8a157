"""Reading the answers of Linux's files and tools; pure functions, tested on recorded text."""

from __future__ import annotations

import configparser
import contextlib
import json
import re
import socket
import struct
from datetime import UTC, datetime

from assistant.diagnostics.platform._common import (
    band_of_frequency,
    channel_of_frequency,
    quality_of_rssi,
)
from isp_common.diagnostics.facts import FirewallFacts, PendingUpdate, WifiFacts

_RTF_GATEWAY = 0x2


def parse_route_table(text: str) -> str | None:
    """The default gateway from /proc/net/route (addresses in little-endian hex)."""
    best: tuple[int, str] | None = None
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 7 or fields[1] != "00000000":
            continue
        if not int(fields[3], 16) & _RTF_GATEWAY:
            continue
        address = socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
        metric = int(fields[6])
        if best is None or metric < best[0]:
            best = (metric, address)
    return best[1] if best else None


def parse_proc_wireless(text: str) -> dict[str, tuple[float, float | None]]:
    """Interface -> (link quality %, signal dBm) from /proc/net/wireless.

    The link quality is out of 70 on nearly all drivers; the level is in dBm when
    negative (some old drivers report an unsigned 0-255 value, which is useless here).
    """
    found = {}
    for line in text.splitlines()[2:]:
        name, _sep, rest = line.partition(":")
        fields = rest.split()
        if len(fields) < 3:
            continue
        link = float(fields[1].rstrip("."))
        level = float(fields[2].rstrip("."))
        found[name.strip()] = (min(100.0, round(link * 100 / 70, 1)), level if level < 0 else None)
    return found


def _split_nmcli(line: str) -> list[str]:
    """nmcli -t separates by ':' and escapes ':' and '\\' inside values with '\\'."""
    return [part.replace("\\:", ":").replace("\\\\", "\\") for part in re.split(r"(?<!\\):", line)]


def parse_nmcli_wifi(text: str) -> WifiFacts | None:
    """The active network from ``nmcli -t -f ACTIVE,SSID,SIGNAL,FREQ,CHAN,DEVICE dev wifi``."""
    for line in text.splitlines():
        fields = _split_nmcli(line)
        if len(fields) < 6 or fields[0] != "yes":
            continue
        _active, ssid, signal, freq, chan, device = fields[:6]
        mhz = float(freq.split()[0]) if freq.split() else None
        return WifiFacts(
            adapter_present=True,
            connected=True,
            interface=device or None,
            ssid=ssid or None,
            signal_percent=float(signal) if signal.isdigit() else None,
            band=band_of_frequency(mhz) if mhz else None,
            channel=int(chan) if chan.isdigit() else None,
            source="nmcli",
        )
    return None


def parse_iw_link(text: str) -> dict[str, str | float | None]:
    """SSID, frequency and signal from ``iw dev <interface> link``."""
    if text.strip().startswith("Not connected"):
        return {}
    ssid = re.search(r"^\s*SSID:\s*(.*)$", text, re.MULTILINE)
    freq = re.search(r"^\s*freq:\s*([\d.]+)", text, re.MULTILINE)
    signal = re.search(r"^\s*signal:\s*(-?[\d.]+)\s*dBm", text, re.MULTILINE)
    return {
        "ssid": ssid.group(1).strip() if ssid else None,
        "freq": float(freq.group(1)) if freq else None,
        "signal": float(signal.group(1)) if signal else None,
    }


def wifi_from_proc(interface: str, quality: float, level: float | None, iw: dict) -> WifiFacts:
    freq = iw.get("freq")
    dbm = iw.get("signal") if iw.get("signal") is not None else level
    connected = bool(iw) or quality > 0
    signal = quality if quality > 0 else (quality_of_rssi(dbm) if dbm is not None else None)
    return WifiFacts(
        adapter_present=True,
        connected=connected,
        interface=interface,
        ssid=iw.get("ssid"),
        signal_percent=signal if connected else None,
        rssi_dbm=dbm if connected else None,
        band=band_of_frequency(freq) if freq else None,
        channel=channel_of_frequency(freq) if freq else None,
        source="/proc/net/wireless",
    )


def parse_ufw_status(text: str) -> bool | None:
    match = re.search(r"^Status:\s*(\w+)", text, re.MULTILINE)
    return None if not match else match.group(1).lower() == "active"


def parse_nft_ruleset(text: str) -> bool:
    """Whether nftables filters incoming traffic: an input chain that drops or has rules."""
    items = json.loads(text).get("nftables", [])
    input_chains = {
        (c["family"], c["table"], c["name"]): c
        for item in items
        if (c := item.get("chain")) and c.get("hook") == "input"
    }
    if any(c.get("policy") == "drop" for c in input_chains.values()):
        return True
    return any(
        (r["family"], r["table"], r["chain"]) in input_chains
        for item in items
        if (r := item.get("rule"))
    )


def firewall_facts(product: str, enabled: bool) -> FirewallFacts:
    return FirewallFacts(os_family="linux", product=product, enabled=enabled)


def parse_clamscan_version(text: str) -> tuple[str, datetime | None] | None:
    """``ClamAV 1.0.5/27345/Tue Jul 30 08:35:26 2024`` -> ("ClamAV 1.0.5", signature date)."""
    match = re.search(r"(ClamAV [\w.\-]+)(?:/(\d+)/(.+))?", text)
    if not match:
        return None
    when = None
    if match.group(3):
        try:
            when = datetime.strptime(match.group(3).strip(), "%a %b %d %H:%M:%S %Y")
        except ValueError:
            when = None
    return match.group(1), when.replace(tzinfo=UTC) if when else None


def parse_apt_simulation(text: str) -> list[PendingUpdate]:
    """``apt-get -s upgrade`` lines: ``Inst pkg [old] (new Debian-Security:12/... [arch])``."""
    updates = []
    for line in text.splitlines():
        if not line.startswith("Inst "):
            continue
        name = line.split()[1]
        origin = line[line.find("(") :]
        updates.append(PendingUpdate(name=name, security="security" in origin.lower()))
    return updates


def parse_dnf_check_update(text: str) -> list[PendingUpdate]:
    """``dnf check-update``: ``name.arch  version  repository`` per pending package."""
    updates = []
    for line in text.splitlines():
        if line.startswith("Obsoleting"):  # what follows repeats packages already listed
            break
        fields = line.split()
        if line.startswith((" ", "Last metadata")) or len(fields) != 3:
            continue
        if "." not in fields[0]:
            continue
        name = fields[0].rsplit(".", 1)[0]
        updates.append(PendingUpdate(name=name, security="security" in fields[2].lower()))
    return updates


def parse_ini(text: str) -> configparser.ConfigParser:
    """Display manager configuration (gdm, lightdm, sddm): INI with lenient syntax."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in these files
    with contextlib.suppress(configparser.Error):  # a broken file says nothing
        parser.read_string(text)
    return parser


def is_true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"true", "1", "yes"}
