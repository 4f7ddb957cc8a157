"""The one interface every operating system's backend fulfils.

Each backend (``_linux``, ``_windows``, ``_macos``) answers the same questions with the
OS's own tools; `assistant.diagnostics.platform.current_backend` picks one, once. A method
that cannot find out raises `assistant.diagnostics.errors.Unknown` (or a subclass) with
the reason; it never guesses.
"""

from __future__ import annotations

import heapq
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from assistant.diagnostics.commands import CommandRunner
from isp_common.diagnostics.facts import (
    AccountFacts,
    AntivirusFacts,
    FirewallFacts,
    ProcessFacts,
    ProcessInfo,
    UpdatesFacts,
    WifiFacts,
)
from isp_common.diagnostics.facts.security import OsFamily


@dataclass(frozen=True)
class BatteryHealth:
    health_percent: float | None = None
    cycle_count: int | None = None
    condition: str | None = None


# One process in a pass: (cpu_percent, memory_bytes, pid). A plain tuple, because a pass
# makes hundreds of them and sorting by CPU then needs no key function.
ProcessSample = tuple[float, int, int]


@dataclass(frozen=True)
class ProcessDetails:
    name: str
    user: str | None
    started_at: datetime | None


class ProcessSampler(ABC):
    """Measures all processes in one pass; names and users only for the few shown.

    CPU use is the change in CPU time since the previous pass (the sampler keeps it), so
    a pass costs one read per process and no waiting. The first pass, having nothing to
    compare with, reports each process's average since it started.
    """

    def __init__(self, total_memory: int, logical_cpus: int) -> None:
        self.total_memory = total_memory
        self.logical_cpus = logical_cpus
        self.last_interval = 0.0
        self._last_time: float | None = None

    @abstractmethod
    def _sample(self, interval: float | None) -> list[ProcessSample]:
        """One pass over all processes; ``interval`` is None on the first pass."""

    @abstractmethod
    def describe(self, pid: int) -> ProcessDetails | None:
        """Name, user and start time, or None when the process has ended meanwhile."""

    def exact_memory(self, pids: list[int]) -> dict[int, int]:
        """Exact resident memory of a few processes, where the pass only estimates it."""
        return {}

    def sample(self) -> list[ProcessSample]:
        now = time.monotonic()
        interval = None if self._last_time is None else max(now - self._last_time, 1e-6)
        samples = self._sample(interval)
        self._last_time = now
        self.last_interval = interval or 0.0
        return samples

    def snapshot(self, top: int) -> ProcessFacts:
        """All processes counted; the ``top`` by CPU and by memory described."""
        samples = self.sample()
        by_cpu = heapq.nlargest(top, samples)
        # Twice as many memory candidates as shown: the pass's figure may be an estimate,
        # and the exact one, read for these few, decides the order.
        candidates = heapq.nlargest(2 * top, samples, key=itemgetter(1))
        exact = self.exact_memory(list({s[2] for s in (*by_cpu, *candidates)}))
        if exact:
            by_cpu = [(cpu, exact.get(pid, memory), pid) for cpu, memory, pid in by_cpu]
            candidates = [(cpu, exact.get(pid, memory), pid) for cpu, memory, pid in candidates]
        by_memory = heapq.nlargest(top, candidates, key=itemgetter(1))
        described: dict[int, ProcessInfo | None] = {}
        for sample in (*by_cpu, *by_memory):
            if sample[2] not in described:
                described[sample[2]] = self._info(sample)
        return ProcessFacts(
            process_count=len(samples),
            logical_cpus=self.logical_cpus,
            sample_seconds=round(self.last_interval, 3),
            top_cpu=[info for s in by_cpu if (info := described[s[2]]) is not None],
            top_memory=[info for s in by_memory if (info := described[s[2]]) is not None],
        )

    def _info(self, sample: ProcessSample) -> ProcessInfo | None:
        cpu_percent, memory_bytes, pid = sample
        details = self.describe(pid)
        if details is None:  # ended between the pass and now: not worth showing
            return None
        share = 100 * memory_bytes / self.total_memory if self.total_memory else 0.0
        return ProcessInfo(
            pid=pid,
            name=details.name,
            user=details.user,
            started_at=details.started_at,
            cpu_percent=round(cpu_percent, 1),
            memory_bytes=memory_bytes,
            memory_percent=round(share, 2),
        )


class PlatformBackend(ABC):
    """The questions only the operating system can answer."""

    os_family: OsFamily = "other"

    def __init__(self, runner: CommandRunner, command_timeout: float = 60.0) -> None:
        self.runner = runner
        self.command_timeout = command_timeout

    async def run(self, argv: list[str]):
        return await self.runner.run(argv, timeout=self.command_timeout)

    @abstractmethod
    async def default_gateway(self) -> str | None:
        """The router's IPv4 address, or None when there is no default route."""

    @abstractmethod
    async def dns_servers(self) -> list[str]:
        """The DNS servers the system resolver asks."""

    @abstractmethod
    async def wifi(self) -> WifiFacts: ...

    @abstractmethod
    async def firewall(self) -> FirewallFacts: ...

    @abstractmethod
    async def antivirus(self) -> AntivirusFacts: ...

    @abstractmethod
    async def updates(self) -> UpdatesFacts: ...

    @abstractmethod
    async def accounts(self) -> AccountFacts: ...

    @abstractmethod
    async def battery_health(self) -> BatteryHealth:
        """What psutil does not tell: wear, cycles, the OS's verdict."""

    @abstractmethod
    def process_sampler(self) -> ProcessSampler: ...
