"""Small conversions every backend needs: radio bands, signal levels, decoded dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime


def band_of_frequency(mhz: float) -> str | None:
    if 2400 <= mhz < 2500:
        return "2.4 GHz"
    if 4900 <= mhz < 5925:
        return "5 GHz"
    if 5925 <= mhz <= 7125:
        return "6 GHz"
    return None


def band_of_channel(channel: int, radio_type: str | None = None) -> str | None:
    """The band a channel number alone determines, or None where it could be two bands.

    6 GHz numbers its channels afresh (1, 5, 9 ... 233, and 2), so 1, 5, 9, 13 are also
    2.4 GHz channels and 37 or 149 also lie in the 5 GHz range. Only 802.11ax (Wi-Fi 6E)
    and later reach 6 GHz: with an older radio type the number is unambiguous again.
    """
    bands = set()
    if 1 <= channel <= 14:
        bands.add("2.4 GHz")
    if 32 <= channel <= 177:
        bands.add("5 GHz")
    if _may_be_6_ghz(radio_type) and (channel == 2 or (channel <= 233 and channel % 4 == 1)):
        bands.add("6 GHz")
    return bands.pop() if len(bands) == 1 else None


def _may_be_6_ghz(radio_type: str | None) -> bool:
    """Unknown radio types may be anything; 802.11a/b/g/n/ac never use 6 GHz."""
    match = re.search(r"802\.11\s*([a-z]+)", radio_type or "", re.IGNORECASE)
    return match is None or match.group(1).lower() not in {"a", "b", "g", "n", "ac"}


def channel_of_frequency(mhz: float) -> int | None:
    mhz = int(mhz)
    if mhz == 2484:
        return 14
    if 2412 <= mhz < 2484:
        return (mhz - 2407) // 5
    if 5000 <= mhz < 5925:
        return (mhz - 5000) // 5
    if 5925 < mhz <= 7125:
        return (mhz - 5950) // 5
    return None


def quality_of_rssi(dbm: float) -> float:
    """Signal level in dBm as the 0-100 % that Windows shows: -50 dBm or better is 100 %."""
    return float(max(0, min(100, 2 * (dbm + 100))))


def parse_band(text: str) -> str | None:
    """The band named in a tool's text: "5 GHz", "2,4 GHz" (German Windows), "2GHz" (macOS)."""
    match = re.search(r"(2[.,]4|2|5|6)\s*GHz", text, re.IGNORECASE)
    if not match:
        return None
    bands = {"2,4": "2.4 GHz", "2.4": "2.4 GHz", "2": "2.4 GHz", "5": "5 GHz", "6": "6 GHz"}
    return bands[match.group(1)]


def parse_json_date(value: object) -> datetime | None:
    """Dates from PowerShell's ConvertTo-Json: "/Date(1700000000000)/" (5.1) or ISO (7)."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\\?/Date\((-?\d+)(?:[+-]\d{4})?\)\\?/", value.strip())
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC)
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def age_days(when: datetime | None, now: datetime) -> float | None:
    if when is None:
        return None
    return round(max((now - when).total_seconds(), 0) / 86400, 2)
