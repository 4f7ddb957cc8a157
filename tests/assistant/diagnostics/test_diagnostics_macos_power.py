"""The battery on macOS: system_profiler, the battery's registry entry and pmset.

Before macOS 12 system_profiler tells only the full-charge capacity in mAh, not the
capacity when new; `ioreg -rn AppleSmartBattery` has both (MaxCapacity on Intel Macs,
AppleRawMaxCapacity where MaxCapacity became a percentage).
"""

from __future__ import annotations

from assistant.diagnostics.platform._macos import MacOSBackend
from assistant.diagnostics.platform._macos_power import (
    parse_ioreg_battery,
    parse_pmset_batt,
    parse_power,
)
from tests.assistant.diagnostics.diagnostics_support import DATA, RecordedRunner, recording, run

MACOS = DATA / "macos"


def recorded(name: str) -> str:
    return recording(MACOS / name).decode("utf-8")


def test_system_profiler_from_monterey_on_tells_the_maximum_capacity():
    power = parse_power(recorded("constructed_system_profiler_power.txt"))
    assert (power.health_percent, power.cycle_count) == (71.0, 412)
    assert power.condition == "Service Recommended"


def test_system_profiler_before_monterey_tells_only_the_full_charge_capacity():
    power = parse_power(recorded("system_profiler_power_10_11.txt"))
    assert (power.health_percent, power.full_charge_mah) == (None, 6078)
    assert (power.cycle_count, power.condition) == (552, "Normal")


def test_the_battery_registry_entry_of_an_intel_mac():
    battery = parse_ioreg_battery(recorded("ioreg_smart_battery_intel.txt"))
    assert (battery.max_capacity_mah, battery.design_capacity_mah) == (6806, 6900)
    assert (battery.health_percent, battery.cycle_count) == (98.6, 46)


def test_the_registry_entry_of_apple_silicon_counts_in_percent_and_raw_mah():
    text = (
        '      "CurrentCapacity" = 80\n'
        '      "MaxCapacity" = 100\n'
        '      "AppleRawMaxCapacity" = 5714\n'
        '      "DesignCapacity" = 6075\n'
        '      "BatteryData" = {"DesignCapacity"=6075,"CycleCount"=12}\n'
    )
    battery = parse_ioreg_battery(text)
    assert (battery.max_capacity_mah, battery.health_percent) == (5714, 94.1)


def test_pmset_charge_state_and_condition():
    charged = parse_pmset_batt(recorded("pmset_batt_charged_10_13.txt"))
    assert (charged.percent, charged.state, charged.plugged_in) == (100.0, "charged", True)
    assert charged.condition is None
    attached = parse_pmset_batt(recorded("pmset_batt_ac_attached_not_charging.txt"))
    assert (attached.percent, attached.state, attached.plugged_in) == (2.0, "not charging", True)
    poor = parse_pmset_batt(recorded("constructed_pmset_batt_poor.txt"))
    assert (poor.percent, poor.state, poor.plugged_in) == (71.0, "discharging", False)
    assert poor.condition == "Poor"


def test_pmset_on_a_mac_without_battery():
    assert parse_pmset_batt("Now drawing from 'AC Power'\n") is None


def test_backend_computes_the_health_of_an_intel_mac_before_monterey():
    runner = RecordedRunner(
        {
            "system_profiler SPPowerDataType": recorded("system_profiler_power_10_11.txt"),
            "ioreg -rn AppleSmartBattery": recorded("ioreg_smart_battery_intel.txt"),
            "pmset -g batt": recorded("pmset_batt_charged_10_13.txt"),
        }
    )
    health = run(MacOSBackend(runner).battery_health())
    # These captures come from different Macs: the registry's own pair gives the health,
    # system_profiler the cycle count and macOS's verdict.
    assert (health.health_percent, health.cycle_count, health.condition) == (98.6, 552, "Normal")


def test_backend_takes_the_condition_from_pmset_when_system_profiler_has_none():
    runner = RecordedRunner({"pmset -g batt": recorded("constructed_pmset_batt_poor.txt")})
    health = run(MacOSBackend(runner).battery_health())
    assert (health.health_percent, health.condition) == (None, "Poor")
