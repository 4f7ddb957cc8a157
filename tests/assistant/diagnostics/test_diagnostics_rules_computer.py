"""The computer and security rules at their thresholds: below, at and above each edge.

Facts are built by hand here on purpose: these tests are about the judgement; the
collectors that gather real facts have their own tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.diagnostics import DiagnosticsSettings, Severity, Thresholds
from assistant.diagnostics.checks import (
    antivirus,
    battery,
    cpu,
    disk_health,
    memory,
    processes,
    storage,
    temperatures,
    updates,
    uptime,
)
from isp_common.diagnostics.facts import (
    AntivirusFacts,
    AntivirusProduct,
    BatteryFacts,
    CpuFacts,
    DiskHealthFacts,
    MemoryFacts,
    Partition,
    ProcessFacts,
    ProcessInfo,
    SmartDisk,
    StorageFacts,
    TemperatureFacts,
    TemperatureSensor,
    UpdatesFacts,
    UptimeFacts,
)

LIMITS = Thresholds()
GB = 10**9


def worst(findings) -> tuple[str, Severity]:
    top = max(findings, key=lambda f: f.severity.rank)
    return top.id, top.severity


@pytest.mark.parametrize(
    ("free_percent", "expected"),
    [
        (10.1, ("computer.storage.ok", Severity.ok)),
        (10.0, ("computer.storage.almost_full", Severity.warning)),
        (9.9, ("computer.storage.almost_full", Severity.warning)),
        (5.1, ("computer.storage.almost_full", Severity.warning)),
        (5.0, ("computer.storage.almost_full", Severity.critical)),
        (4.9, ("computer.storage.almost_full", Severity.critical)),
    ],
)
def test_disk_space(free_percent, expected):
    total = 1000 * GB
    free = int(total * free_percent / 100)
    facts = StorageFacts(
        partitions=[
            Partition(
                device="/dev/sda1",
                mountpoint="/",
                fstype="ext4",
                total_bytes=total,
                used_bytes=total - free,
                free_bytes=free,
                percent=100 - free_percent,
            ),
        ]
    )
    assert worst(storage.evaluate(facts, LIMITS)) == expected


def test_read_only_and_unanswered_drives_are_never_called_full():
    facts = StorageFacts(
        partitions=[
            Partition(
                device="/dev/loop3",
                mountpoint="/snap/core/1",
                fstype="squashfs",
                read_only=True,
                total_bytes=GB,
                used_bytes=GB,
                free_bytes=0,
                percent=100,
            ),
            Partition(
                device="nas:/share",
                mountpoint="/mnt/nas",
                fstype="nfs",
                unknown_reason="The drive did not answer in time.",
            ),
            Partition(
                device="/dev/sda1",
                mountpoint="/",
                fstype="ext4",
                total_bytes=100 * GB,
                used_bytes=50 * GB,
                free_bytes=50 * GB,
                percent=50,
            ),
        ]
    )
    found = {f.id: f for f in storage.evaluate(facts, LIMITS)}
    assert set(found) == {"computer.storage.ok", "computer.storage.not_answering"}
    assert "/mnt/nas" in found["computer.storage.not_answering"].title


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (89.9, ("computer.memory.ok", Severity.ok)),
        (90.0, ("computer.memory.full", Severity.warning)),
        (96.9, ("computer.memory.full", Severity.warning)),
        (97.0, ("computer.memory.full", Severity.critical)),
        (97.1, ("computer.memory.full", Severity.critical)),
    ],
)
def test_memory(percent, expected):
    total = 16 * GB
    used = int(total * percent / 100)
    facts = MemoryFacts(
        total_bytes=total,
        available_bytes=total - used,
        used_bytes=used,
        percent=percent,
        swap_total_bytes=0,
        swap_used_bytes=0,
        swap_percent=0,
    )
    assert worst(memory.evaluate(facts, LIMITS)) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(89.9, Severity.ok), (90.0, Severity.warning), (90.1, Severity.warning)],
)
def test_processor_load(percent, expected):
    facts = CpuFacts(percent=percent, per_core_percent=[percent], sample_seconds=0.5)
    assert worst(cpu.evaluate(facts, LIMITS))[1] is expected


@pytest.mark.parametrize(
    ("health", "expected"),
    [
        (60.1, ("computer.battery.ok", Severity.ok)),
        (60.0, ("computer.battery.worn", Severity.warning)),
        (59.9, ("computer.battery.worn", Severity.warning)),
    ],
)
def test_battery_wear(health, expected):
    facts = BatteryFacts(present=True, percent=80, plugged_in=True, health_percent=health)
    assert worst(battery.evaluate(facts, LIMITS)) == expected


@pytest.mark.parametrize(
    ("percent", "plugged_in", "low"),
    [(15.1, False, False), (15.0, False, True), (14.9, False, True), (5.0, True, False)],
)
def test_battery_nearly_empty_only_matters_without_the_charger(percent, plugged_in, low):
    facts = BatteryFacts(present=True, percent=percent, plugged_in=plugged_in)
    ids = {f.id for f in battery.evaluate(facts, LIMITS)}
    assert ("computer.battery.low" in ids) is low


@pytest.mark.parametrize(
    ("days", "expected"),
    [(13.99, Severity.ok), (14.0, Severity.info), (14.01, Severity.info)],
)
def test_time_since_restart(days, expected):
    boot = datetime(2024, 11, 1, tzinfo=UTC)
    facts = UptimeFacts(boot_time=boot, uptime_seconds=days * 86400)
    assert worst(uptime.evaluate(facts, LIMITS))[1] is expected


@pytest.mark.parametrize(
    ("core_percent", "expected"),
    # Four cores: a program at 199.6 % of one core uses 49.9 % of the machine.
    [(199.6, Severity.ok), (200.0, Severity.warning), (200.4, Severity.warning)],
)
def test_a_busy_program_is_judged_by_its_share_of_the_whole_processor(core_percent, expected):
    busy = ProcessInfo(
        pid=42, name="backup-tool", cpu_percent=core_percent, memory_bytes=GB, memory_percent=5
    )
    facts = ProcessFacts(
        process_count=200, logical_cpus=4, sample_seconds=0.5, top_cpu=[busy], top_memory=[busy]
    )
    found = processes.evaluate(facts, LIMITS)
    assert worst(found)[1] is expected
    if expected is Severity.warning:
        assert found[0].params["name"] == "backup-tool"


@pytest.mark.parametrize(("percent", "flagged"), [(29.9, False), (30.0, True), (30.1, True)])
def test_a_program_using_much_memory(percent, flagged):
    big = ProcessInfo(
        pid=7, name="browser", cpu_percent=1, memory_bytes=5 * GB, memory_percent=percent
    )
    facts = ProcessFacts(
        process_count=100, logical_cpus=4, sample_seconds=0.5, top_cpu=[], top_memory=[big]
    )
    ids = {f.id for f in processes.evaluate(facts, LIMITS)}
    assert ("computer.processes.memory_program" in ids) is flagged


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (89.9, ("computer.temperatures.ok", Severity.ok)),
        (90.0, ("computer.temperatures.hot", Severity.warning)),
        (99.9, ("computer.temperatures.hot", Severity.warning)),
        (100.0, ("computer.temperatures.critical", Severity.critical)),
    ],
)
def test_temperatures(current, expected):
    sensor = TemperatureSensor(
        chip="coretemp", label="Package id 0", current_c=current, high_c=95, critical_c=100
    )
    assert worst(temperatures.evaluate(TemperatureFacts(sensors=[sensor]), LIMITS)) == expected


@pytest.mark.parametrize(("age", "outdated"), [(6.9, False), (7.0, False), (7.1, True)])
def test_virus_definitions_age(age, outdated):
    product = AntivirusProduct(
        name="Microsoft Defender Antivirus", enabled=True, real_time=True, signature_age_days=age
    )
    facts = AntivirusFacts(os_family="windows", products=[product])
    ids = {f.id for f in antivirus.evaluate(facts, LIMITS)}
    assert ("security.antivirus.outdated" in ids) is outdated


def test_no_virus_protection_is_critical_on_windows_and_a_note_on_linux():
    for family, severity in (("windows", Severity.critical), ("linux", Severity.info)):
        facts = AntivirusFacts(os_family=family, products=[])
        assert worst(antivirus.evaluate(facts, LIMITS)) == ("security.antivirus.none", severity)


@pytest.mark.parametrize(("days", "stale"), [(13.9, False), (14.0, True), (14.1, True)])
def test_update_list_age(days, stale):
    now = datetime(2024, 11, 24, tzinfo=UTC)
    facts = UpdatesFacts(
        os_family="linux", source="apt", pending_count=0, last_checked=now - timedelta(days=days)
    )
    ids = {f.id for f in updates.evaluate(facts, LIMITS, now=now)}
    assert ("security.updates.not_checked" in ids) is stale


@pytest.mark.parametrize(
    ("sectors", "used", "expected"),
    [
        (0, 89, "computer.disk_health.ok"),
        (1, 0, "computer.disk_health.bad_sectors"),
        (0, 90, "computer.disk_health.worn"),
    ],
)
def test_disk_wear_and_damage(sectors, used, expected):
    disk = SmartDisk(
        device="/dev/sda",
        model="SSD",
        passed=True,
        reallocated_sectors=sectors,
        pending_sectors=0,
        percentage_used=used,
    )
    assert worst(disk_health.evaluate(DiskHealthFacts(disks=[disk]), LIMITS))[0] == expected


def test_thresholds_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ISP_ASSISTANT_THRESHOLDS__DISK_FREE_WARNING_PERCENT", "20")
    limits = DiagnosticsSettings().thresholds
    assert limits.disk_free_warning_percent == 20
    facts = StorageFacts(
        partitions=[
            Partition(
                device="/dev/sda1",
                mountpoint="/",
                fstype="ext4",
                total_bytes=100 * GB,
                used_bytes=85 * GB,
                free_bytes=15 * GB,
                percent=85,
            ),
        ]
    )
    assert worst(storage.evaluate(facts, limits)) == (
        "computer.storage.almost_full",
        Severity.warning,
    )
    assert worst(storage.evaluate(facts, LIMITS)) == ("computer.storage.ok", Severity.ok)
