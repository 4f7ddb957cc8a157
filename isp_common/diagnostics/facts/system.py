"""Facts about the computer itself: processor, memory, disks, battery, temperatures."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class CpuFacts(BaseModel):
    kind: Literal["cpu"] = "cpu"
    logical_cpus: int | None = None
    physical_cpus: int | None = None
    percent: float
    """Load of the whole processor over the sample, 0-100."""
    per_core_percent: list[float] = []
    frequency_mhz: float | None = None
    max_frequency_mhz: float | None = None
    load_average: list[float] | None = None
    """1, 5 and 15 minute load averages (processes waiting for the processor)."""
    sample_seconds: float


class MemoryFacts(BaseModel):
    kind: Literal["memory"] = "memory"
    total_bytes: int
    available_bytes: int
    used_bytes: int
    percent: float
    swap_total_bytes: int
    swap_used_bytes: int
    swap_percent: float


class Partition(BaseModel):
    device: str
    mountpoint: str
    fstype: str
    read_only: bool = False
    total_bytes: int | None = None
    used_bytes: int | None = None
    free_bytes: int | None = None
    percent: float | None = None
    unknown_reason: str | None = None
    """Why the usage is missing, e.g. a network drive that does not answer."""


class DiskIo(BaseModel):
    disk: str
    read_bytes: int
    write_bytes: int
    read_count: int
    write_count: int
    busy_ms: int | None = None


class StorageFacts(BaseModel):
    kind: Literal["storage"] = "storage"
    partitions: list[Partition]
    io: list[DiskIo] = []


class SmartDisk(BaseModel):
    device: str
    device_type: str | None = None
    model: str | None = None
    passed: bool | None = None
    """The disk's own verdict on its health; None when it gives none."""
    temperature_c: float | None = None
    power_on_hours: int | None = None
    reallocated_sectors: int | None = None
    pending_sectors: int | None = None
    percentage_used: int | None = None
    """Wear of an SSD (NVMe): 100 means its rated life is used up."""
    media_errors: int | None = None
    unknown_reason: str | None = None


class DiskHealthFacts(BaseModel):
    kind: Literal["disk_health"] = "disk_health"
    smartctl_version: str | None = None
    disks: list[SmartDisk]


class BatteryFacts(BaseModel):
    kind: Literal["battery"] = "battery"
    present: bool
    percent: float | None = None
    plugged_in: bool | None = None
    seconds_left: int | None = None
    health_percent: float | None = None
    """Capacity today against capacity when new, where the OS tells."""
    cycle_count: int | None = None
    condition: str | None = None
    """The OS's own word on the battery (macOS: "Normal", "Service Recommended")."""


class TemperatureSensor(BaseModel):
    chip: str
    label: str
    current_c: float
    high_c: float | None = None
    critical_c: float | None = None


class TemperatureFacts(BaseModel):
    kind: Literal["temperatures"] = "temperatures"
    sensors: list[TemperatureSensor]


class UptimeFacts(BaseModel):
    kind: Literal["uptime"] = "uptime"
    boot_time: datetime
    uptime_seconds: float


class ProcessInfo(BaseModel):
    pid: int
    name: str
    user: str | None = None
    started_at: datetime | None = None
    cpu_percent: float
    """Like the task manager on Linux and macOS: 100 is one processor core fully busy."""
    memory_bytes: int
    memory_percent: float


class ProcessFacts(BaseModel):
    kind: Literal["processes"] = "processes"
    process_count: int
    logical_cpus: int
    sample_seconds: float
    top_cpu: list[ProcessInfo]
    top_memory: list[ProcessInfo]
