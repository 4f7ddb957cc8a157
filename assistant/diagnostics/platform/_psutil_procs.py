"""The process list through psutil, for Windows and macOS (and any other OS).

Like the Linux reader it keeps each process's CPU time between passes, so a pass needs
no waiting, and it asks for names and users only for the processes shown. psutil's
``AccessDenied`` (common on Windows for system processes) leaves a field empty instead of
dropping the process.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import psutil

from assistant.diagnostics.platform.base import ProcessDetails, ProcessSample, ProcessSampler


class PsutilProcessSampler(ProcessSampler):
    def __init__(self) -> None:
        super().__init__(psutil.virtual_memory().total, psutil.cpu_count() or 1)
        self._previous: dict[int, tuple[float, float]] = {}  # pid -> (created, cpu seconds)

    def _sample(self, interval: float | None) -> list[ProcessSample]:
        now = time.time()
        current: dict[int, tuple[float, float]] = {}
        samples = []
        for process in psutil.process_iter(["cpu_times", "memory_info", "create_time"]):
            info = process.info
            times, memory, created = info["cpu_times"], info["memory_info"], info["create_time"]
            if times is None or memory is None:  # access denied, or ended during the pass
                continue
            seconds = times.user + times.system
            created = created or 0.0
            current[process.pid] = (created, seconds)
            before = self._previous.get(process.pid)
            if interval and before is not None and before[0] == created:
                cpu = 100 * (seconds - before[1]) / interval
            else:
                age = now - created if created else 0.0
                cpu = 100 * seconds / age if age > 0 else 0.0
            samples.append((max(cpu, 0.0), memory.rss, process.pid))
        self._previous = current
        return samples

    def describe(self, pid: int) -> ProcessDetails | None:
        try:
            process = psutil.Process(pid)
            with process.oneshot():
                name = process.name()
                try:
                    user: str | None = process.username()
                except (psutil.AccessDenied, KeyError):
                    user = None
                try:
                    started: datetime | None = datetime.fromtimestamp(process.create_time(), UTC)
                except psutil.AccessDenied:
                    started = None
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            return None
        except psutil.AccessDenied:
            return ProcessDetails(name=f"PID {pid}", user=None, started_at=None)
        return ProcessDetails(name=name, user=user, started_at=started)
