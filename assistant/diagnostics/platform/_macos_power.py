"""Reading the battery's state on macOS: system_profiler, the battery's registry entry, pmset.

system_profiler names the capacity left ("Maximum Capacity: 87%") only from macOS 12 on;
before, it tells the full-charge capacity in mAh but not the capacity when new. The
registry entry (``ioreg -rn AppleSmartBattery``) has both: on Intel Macs MaxCapacity and
DesignCapacity in mAh, on Apple silicon MaxCapacity is a percentage of the charge and
AppleRawMaxCapacity the mAh. ``pmset -g batt`` tells the charge, the charging state and,
when macOS rates the battery below "Good", that rating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.diagnostics.platform.base import BatteryHealth


@dataclass(frozen=True)
class PowerReport:
    """What ``system_profiler SPPowerDataType`` tells about the battery."""

    health_percent: float | None = None
    cycle_count: int | None = None
    condition: str | None = None
    full_charge_mah: int | None = None


@dataclass(frozen=True)
class RegistryBattery:
    """Capacities from the battery's registry entry, in mAh."""

    max_capacity_mah: int | None = None
    design_capacity_mah: int | None = None
    cycle_count: int | None = None

    @property
    def health_percent(self) -> float | None:
        return health_of(self.max_capacity_mah, self.design_capacity_mah)


@dataclass(frozen=True)
class PmsetBattery:
    """The internal battery's line of ``pmset -g batt``."""

    percent: float | None
    state: str | None
    """"charging", "discharging", "charged", "finishing charge" or "not charging"."""
    plugged_in: bool | None
    condition: str | None = None
    """macOS's rating when not "Good" ("Fair", "Poor"), else None."""


def health_of(full_mah: int | None, design_mah: int | None) -> float | None:
    return round(100 * full_mah / design_mah, 1) if full_mah and design_mah else None


def _fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    return fields


def _integer(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def parse_power(text: str) -> PowerReport:
    """``system_profiler SPPowerDataType``: capacity left, cycles, condition, full charge."""
    fields = _fields(text)
    capacity = re.match(r"(\d+)\s*%", fields.get("Maximum Capacity", ""))
    return PowerReport(
        health_percent=float(capacity.group(1)) if capacity else None,
        cycle_count=_integer(fields.get("Cycle Count")),
        condition=fields.get("Condition") or None,
        full_charge_mah=_integer(fields.get("Full Charge Capacity (mAh)")),
    )


def parse_ioreg_battery(text: str) -> RegistryBattery:
    """``ioreg -rn AppleSmartBattery``: the entry's own numbers (not those nested in
    BatteryData); MaxCapacity of 100 or less is the percentage of Apple silicon."""
    values: dict[str, int] = {}
    for key, value in re.findall(r'^[\s|]*"(\w+)" = (\d+)\s*$', text, re.MULTILINE):
        values.setdefault(key, int(value))
    maximum = values.get("AppleRawMaxCapacity")
    if maximum is None and values.get("MaxCapacity", 0) > 100:
        maximum = values["MaxCapacity"]
    return RegistryBattery(
        max_capacity_mah=maximum,
        design_capacity_mah=values.get("DesignCapacity"),
        cycle_count=values.get("CycleCount"),
    )


def parse_pmset_batt(text: str) -> PmsetBattery | None:
    """``pmset -g batt``; None when there is no internal battery (a desktop Mac)."""
    line = next((line for line in text.splitlines() if "InternalBattery" in line), None)
    if line is None:
        return None
    percent = re.search(r"(\d+)%", line)
    state = re.search(
        r"%;\s*(finishing charge|charged|discharging|charging|AC attached; not charging)", line
    )
    state_name = state.group(1).replace("AC attached; ", "") if state else None
    plugged = None if state_name is None else state_name != "discharging"
    # pmset.m prints " (Poor/High)", the rating and its confidence, when it is not Good.
    rating = re.search(r"\((\w+)/\w+\)", line)
    return PmsetBattery(
        percent=float(percent.group(1)) if percent else None,
        state=state_name,
        plugged_in=plugged,
        condition=rating.group(1) if rating else None,
    )


def combine(
    power: PowerReport, registry: RegistryBattery | None, pmset: PmsetBattery | None
) -> BatteryHealth:
    """macOS's own figure first; else the registry's pair; else system_profiler's full
    charge against the registry's design capacity."""
    health = power.health_percent
    if health is None and registry is not None:
        health = registry.health_percent or health_of(
            power.full_charge_mah, registry.design_capacity_mah
        )
    cycles = power.cycle_count or (registry.cycle_count if registry else None)
    condition = power.condition or (pmset.condition if pmset else None)
    return BatteryHealth(health_percent=health, cycle_count=cycles, condition=condition)
