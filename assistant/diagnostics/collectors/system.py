"""The computer's own facts through psutil: processor, memory, disks, battery, sensors.

Every call that can block (a network drive that no longer answers makes ``statvfs``
hang) runs in a daemon thread with its own time limit, so one dead drive costs only its
own line in the report.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import psutil

from assistant.diagnostics.blocking import in_thread
from assistant.diagnostics.errors import AccessDenied, NotSupported
from assistant.diagnostics.platform import PlatformBackend
from assistant.diagnostics.texts import N_, render
from isp_common.diagnostics.facts import (
    BatteryFacts,
    CpuFacts,
    DiskIo,
    MemoryFacts,
    Partition,
    StorageFacts,
    TemperatureFacts,
    TemperatureSensor,
    UptimeFacts,
)

# Filesystems that hold no customer data (snap packages, live images, boot partitions of
# a few MB) are listed but never called "full".
READ_ONLY_TYPES = frozenset({"squashfs", "iso9660", "udf", "erofs", "cramfs"})


class SystemCollector:
    def __init__(self, backend: PlatformBackend, partition_timeout: float = 5.0) -> None:
        self.backend = backend
        self.partition_timeout = partition_timeout

    async def cpu(self, sample_seconds: float) -> CpuFacts:
        # Two readings of our own around a non-blocking wait: psutil.cpu_percent() would
        # measure from whoever called it last, e.g. a second run going on at the same time.
        before = psutil.cpu_times(percpu=True)
        await asyncio.sleep(sample_seconds)
        after = psutil.cpu_times(percpu=True)
        # strict=False: a core switched off during the wait simply drops out.
        per_core = [_busy_percent(a, b) for a, b in zip(before, after, strict=False)]
        frequency = _safe(psutil.cpu_freq)
        load = _safe(psutil.getloadavg)
        return CpuFacts(
            logical_cpus=psutil.cpu_count(),
            physical_cpus=psutil.cpu_count(logical=False),
            percent=round(sum(per_core) / len(per_core), 1) if per_core else 0.0,
            per_core_percent=per_core,
            # Virtual machines report 0 for frequencies they do not know.
            frequency_mhz=frequency.current or None if frequency else None,
            max_frequency_mhz=frequency.max or None if frequency else None,
            load_average=[round(x, 2) for x in load] if load else None,
            sample_seconds=sample_seconds,
        )

    async def memory(self) -> MemoryFacts:
        memory, swap = psutil.virtual_memory(), psutil.swap_memory()
        return MemoryFacts(
            total_bytes=memory.total,
            available_bytes=memory.available,
            used_bytes=memory.total - memory.available,
            percent=memory.percent,
            swap_total_bytes=swap.total,
            swap_used_bytes=swap.used,
            swap_percent=swap.percent,
        )

    async def storage(self) -> StorageFacts:
        partitions = await in_thread(psutil.disk_partitions, False)
        measured = await asyncio.gather(*(self._partition(p) for p in partitions))
        try:
            counters = psutil.disk_io_counters(perdisk=True) or {}
        except (OSError, RuntimeError):  # e.g. no /proc/diskstats in some containers
            counters = {}
        io = [
            DiskIo(
                disk=name,
                read_bytes=c.read_bytes,
                write_bytes=c.write_bytes,
                read_count=c.read_count,
                write_count=c.write_count,
                busy_ms=getattr(c, "busy_time", None),
            )
            for name, c in sorted(counters.items())
        ]
        return StorageFacts(partitions=measured, io=io)

    async def _partition(self, part) -> Partition:
        options = set(part.opts.split(","))
        entry = Partition(
            device=part.device,
            mountpoint=part.mountpoint,
            fstype=part.fstype,
            read_only="ro" in options or part.fstype in READ_ONLY_TYPES,
        )
        try:
            usage = await asyncio.wait_for(
                in_thread(psutil.disk_usage, part.mountpoint), self.partition_timeout
            )
        except TimeoutError:
            entry.unknown_reason = render(N_("The drive did not answer in time."))
            return entry
        except PermissionError:
            entry.unknown_reason = render(N_("Access to this drive was denied."))
            return entry
        except OSError as err:  # removed meanwhile, or a broken network drive
            entry.unknown_reason = str(err.strerror or err)
            return entry
        entry.total_bytes, entry.used_bytes = usage.total, usage.used
        entry.free_bytes, entry.percent = usage.free, usage.percent
        return entry

    async def battery(self) -> BatteryFacts:
        battery = _safe(psutil.sensors_battery) if hasattr(psutil, "sensors_battery") else None
        if battery is None:
            return BatteryFacts(present=False)
        health = await self.backend.battery_health()
        seconds = battery.secsleft
        return BatteryFacts(
            present=True,
            percent=round(battery.percent, 1),
            plugged_in=battery.power_plugged,
            seconds_left=int(seconds)
            if isinstance(seconds, int | float) and seconds >= 0
            else None,
            health_percent=health.health_percent,
            cycle_count=health.cycle_count,
            condition=health.condition,
        )

    async def temperatures(self) -> TemperatureFacts:
        if not hasattr(psutil, "sensors_temperatures"):
            raise NotSupported(N_("This operating system does not report temperatures."))
        try:
            readings = psutil.sensors_temperatures()
        except PermissionError as err:
            raise AccessDenied(N_("Reading the temperatures needs administrator rights.")) from err
        sensors = [
            TemperatureSensor(
                chip=chip,
                label=entry.label or chip,
                current_c=entry.current,
                high_c=entry.high or None,
                critical_c=entry.critical or None,
            )
            for chip, entries in sorted(readings.items())
            for entry in entries
        ]
        if not sensors:
            raise NotSupported(N_("This computer does not report its temperatures."))
        return TemperatureFacts(sensors=sensors)

    async def uptime(self) -> UptimeFacts:
        boot = psutil.boot_time()
        now = datetime.now(UTC)
        return UptimeFacts(
            boot_time=datetime.fromtimestamp(boot, UTC),
            uptime_seconds=round(now.timestamp() - boot, 1),
        )


def _total(times) -> float:
    # Linux counts guest time inside user and nice as well: do not count it twice.
    return sum(times) - getattr(times, "guest", 0) - getattr(times, "guest_nice", 0)


def _busy_percent(before, after) -> float:
    """Share of the time between two readings that a core was not idle (as psutil counts)."""
    idle = ("idle", "iowait")
    total = _total(after) - _total(before)
    spent_idle = sum(getattr(after, f, 0) - getattr(before, f, 0) for f in idle)
    return round(max(0.0, min(100.0, 100 * (total - spent_idle) / total)), 1) if total > 0 else 0.0


def _safe(func):
    """psutil's optional readings: None when the OS lacks them rather than an error."""
    try:
        return func()
    except (OSError, RuntimeError, NotImplementedError, AttributeError):
        return None
