"""How much the process snapshot costs, against reading two /proc files per process.

The floor is reading ``/proc/<pid>/stat`` and ``/proc/<pid>/statm`` of every process and
doing nothing with them. The snapshot is what the "Running programs" check takes per pass
(`ProcessSampler.snapshot`): every process measured, the top ones by CPU and memory with
name, user and start time. Its pass reads only ``stat``, which carries an estimate of the
resident memory too (``statm`` is read for the few processes shown), so it can come in
under the floor. For comparison, a plain psutil loop asks each process for the same
attributes. A few hundred idle processes are started for the run, so the figures are
about the per-process cost, and stopped again at the end.

    python benchmarks/snapshot.py [--extra 300] [--rounds 40] [--top 5] [--check]

Goal: the snapshot costs at most 1.5 times the floor. ``--check`` exits 1 when it does not.
Linux only: the floor is defined by /proc.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import psutil

from assistant.diagnostics.platform._linux_procs import LinuxProcessSampler

GOAL = 1.5


def floor() -> None:
    """The least a process list can do: read the two files of every process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fd = os.open(f"/proc/{name}/stat", os.O_RDONLY)
            os.read(fd, 1024)
            os.close(fd)
            fd = os.open(f"/proc/{name}/statm", os.O_RDONLY)
            os.read(fd, 256)
            os.close(fd)
        except OSError:
            continue


def naive(top: int) -> Callable[[], None]:
    """A plain psutil loop over the same attributes, then the same top lists."""

    def loop() -> None:
        rows = []
        for process in psutil.process_iter():
            try:
                with process.oneshot():
                    rows.append(
                        (
                            process.cpu_percent(),
                            process.memory_info().rss,
                            process.name(),
                            process.username(),
                            process.create_time(),
                        )
                    )
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        sorted(rows, reverse=True)[:top]
        sorted(rows, key=lambda row: row[1], reverse=True)[:top]

    return loop


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def measure(rounds: int, contenders: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median time of each, taking turns in every round so drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, func in contenders.items():
            started = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - started)
    return {name: median_ms(samples) for name, samples in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra", type=int, default=300, help="idle processes to add")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {GOAL}x the floor")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        print("The floor is defined by /proc: run this on Linux.", file=sys.stderr)
        return 2

    idle = [subprocess.Popen(["sleep", "3600"]) for _ in range(args.extra)]
    try:
        sampler = LinuxProcessSampler()
        sampler.snapshot(args.top)  # the steady state: CPU from the previous pass
        psutil_loop = naive(args.top)
        psutil_loop()  # psutil's cpu_percent, too, needs a previous call
        result = measure(
            args.rounds,
            {
                "floor": floor,
                "snapshot": lambda: sampler.snapshot(args.top),
                "naive": psutil_loop,
            },
        )
        processes = sum(name.isdigit() for name in os.listdir("/proc"))
    finally:
        for process in idle:
            process.kill()
        for process in idle:
            process.wait()

    ratio = result["snapshot"] / result["floor"]
    print(f"processes:            {processes} ({args.extra} of them idle, started for this run)")
    print(f"floor (stat + statm): {result['floor']:7.2f} ms")
    print(
        f"snapshot:             {result['snapshot']:7.2f} ms   {ratio:4.2f}x the floor "
        f"(goal: at most {GOAL}x)"
    )
    print(
        f"naive psutil loop:    {result['naive']:7.2f} ms   "
        f"{result['naive'] / result['floor']:4.2f}x the floor"
    )
    return 1 if args.check and ratio > GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
