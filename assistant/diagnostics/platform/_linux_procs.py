"""The process list on Linux, read straight from /proc in one pass.

psutil opens several files per process and builds an object for each; for a list of a
few hundred processes refreshed every few seconds that is most of the cost. Here a pass
reads one file per process, ``/proc/<pid>/stat``, with raw ``os.open``/``os.read``: it
holds the CPU ticks, the start and the resident memory. That memory figure is the kernel's
quick per-CPU estimate (recent kernels give the exact sum only in ``statm``), good enough
to rank; the few processes shown get the exact figure from ``statm``, as psutil reports
it. Names, users and start times, too, are looked up only for those few. A process may
end at any moment during the pass: it is then simply left out.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from assistant.diagnostics.platform.base import ProcessDetails, ProcessSample, ProcessSampler

# Errors meaning "this process is gone" (or hidden from us by hidepid): skip it.
_GONE = (FileNotFoundError, ProcessLookupError, PermissionError)

# Offsets into the fields after "(comm) " in /proc/<pid>/stat (see proc(5)): field 3
# (state) is index 0, so utime (14) is 11, stime (15) is 12, starttime (22) is 19 and
# rss (24, in pages) is 21.
_UTIME, _STIME, _STARTTIME, _RSS = 11, 12, 19, 21
_COMM_MAX = 15  # the kernel cuts names to 15 characters


def _read(path: str, size: int = 4096) -> bytes:
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


class LinuxProcessSampler(ProcessSampler):
    def __init__(
        self, proc: str = "/proc", list_pids: Callable[[], Iterable[str]] | None = None
    ) -> None:
        """``list_pids`` gives the process ids to read (as text); by default all of /proc."""
        page = os.sysconf("SC_PAGE_SIZE")
        super().__init__(os.sysconf("SC_PHYS_PAGES") * page, os.cpu_count() or 1)
        self.proc = proc
        self._page = page
        self._ticks = os.sysconf("SC_CLK_TCK")
        self._list_pids = list_pids or self._all_pids
        self._previous: dict[str, tuple[bytes, int]] = {}  # pid -> (starttime, cpu ticks)
        self._users: dict[int, str] = {}
        # Details of processes already shown, by pid and start: the same few processes
        # top the list pass after pass, and their name, user and start do not change.
        self._described: dict[int, tuple[bytes, ProcessDetails]] = {}
        self.boot_time = self._boot_time()

    def _all_pids(self) -> list[str]:
        return [name for name in os.listdir(self.proc) if name.isdigit()]

    def _boot_time(self) -> float:
        for line in _read(f"{self.proc}/stat", 1 << 20).splitlines():
            if line.startswith(b"btime "):
                return float(line.split()[1])
        raise OSError("no btime in /proc/stat")

    def _sample(self, interval: float | None) -> list[ProcessSample]:
        # This loop is the hot path (benchmarks/snapshot.py): locals instead of attribute
        # look-ups, no function calls per file, the stat line split only as far as needed.
        proc, page, previous = self.proc, self._page, self._previous
        open_, read, close, rdonly = os.open, os.read, os.close, os.O_RDONLY
        # CPU% = ticks used / ticks available in the interval; 100 = one core busy.
        per_tick = 100 / (interval * self._ticks) if interval else 0.0
        now_ticks = float(_read(f"{proc}/uptime").split()[0]) * self._ticks
        current: dict[str, tuple[bytes, int]] = {}
        samples: list[ProcessSample] = []
        for pid in self._list_pids():
            try:
                fd = open_(f"{proc}/{pid}/stat", rdonly)
                try:
                    stat = read(fd, 1024)
                finally:
                    close(fd)
            except _GONE:
                continue
            if not stat:  # ended between open and read
                continue
            fields = stat[stat.rfind(b")") + 2 :].split(None, _RSS + 1)
            ticks = int(fields[_UTIME]) + int(fields[_STIME])
            start = fields[_STARTTIME]
            current[pid] = (start, ticks)
            before = previous.get(pid)
            if before is not None and before[0] == start:
                cpu = (ticks - before[1]) * per_tick
            else:  # new since the last pass (or a reused pid): its average since it started
                age = now_ticks - int(start)
                cpu = 100 * ticks / age if age > 0 else 0.0
            samples.append((cpu, int(fields[_RSS]) * page, int(pid)))
        self._previous = current
        self._described = {p: d for p, d in self._described.items() if str(p) in current}
        return samples

    def exact_memory(self, pids: list[int]) -> dict[int, int]:
        exact = {}
        for pid in pids:
            try:
                statm = _read(f"{self.proc}/{pid}/statm", 256)
            except _GONE:
                continue
            if statm:
                exact[pid] = int(statm.split(None, 2)[1]) * self._page
        return exact

    def describe(self, pid: int) -> ProcessDetails | None:
        start = self._previous.get(str(pid), (b"",))[0]
        cached = self._described.get(pid)
        if cached is not None and cached[0] == start:
            return cached[1]
        details = self._describe(pid)
        if details is not None and start:
            self._described[pid] = (start, details)
        return details

    def _describe(self, pid: int) -> ProcessDetails | None:
        base = f"{self.proc}/{pid}"
        try:
            stat = _read(f"{base}/stat", 1024)
            # The owner of /proc/<pid> is the process's user; cheaper than parsing status.
            uid = os.stat(base).st_uid
        except _GONE:
            return None
        if not stat:
            return None
        name = stat[stat.find(b"(") + 1 : stat.rfind(b")")].decode(errors="replace")
        if len(name) >= _COMM_MAX:
            name = self._long_name(base, name)
        starttime = int(stat[stat.rfind(b")") + 2 :].split()[_STARTTIME])
        started = datetime.fromtimestamp(self.boot_time + starttime / self._ticks, UTC)
        return ProcessDetails(name=name, user=self._user(uid), started_at=started)

    def _long_name(self, base: str, comm: str) -> str:
        """The full program name when the kernel's 15 characters cut it (as psutil does)."""
        try:
            first = _read(f"{base}/cmdline").split(b"\0", 1)[0].decode(errors="replace")
        except _GONE:
            return comm
        program = os.path.basename(first)
        return program if program.startswith(comm) else comm

    def _user(self, uid: int) -> str:
        if uid not in self._users:
            try:
                self._users[uid] = pwd.getpwuid(uid).pw_name
            except KeyError:  # no name for it (e.g. a container's user): show the number
                self._users[uid] = str(uid)
        return self._users[uid]
