"""The sessions benchmark runs end to end on a few sessions, on both databases: every
session is proposed, confirmed, ticked, some paused and resumed, all ended over real
sockets; it reports each figure and ends with one JSON line, and the ledger it leaves
passes the check. (How fast is for the benchmark to say.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "sessions.py"

pytestmark = pytest.mark.subprocess


def test_the_sessions_benchmark_reports_ticks_transfers_and_updates(database_url):
    command = [sys.executable, str(BENCHMARK), "--sessions", "20", "--experts", "4"]
    command += ["--seconds", "3", "--count", "10"]
    if database_url.startswith("postgresql"):
        command += ["--database-url", database_url]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert "ledger-check afterwards: passed" in finished.stdout
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["sessions"] == 20
    assert result["database"] == ("PostgreSQL" if "postgresql" in database_url else "SQLite")
    assert result["ledger_ok"] is True
    assert result["ended"] == ["ended"]  # every session ended by its device
    assert result["ticks"] >= 2
    # Each tick reached every device and every expert's tab (20 sessions, both sides).
    assert result["updates"] >= 2 * 20 * result["ticks"]
    for key in ("tick_cpu_ms", "end_cpu_ms", "transfer_cpu_ms", "bare_insert_cpu_ms"):
        assert result[key] > 0, key
    assert 0 < result["update_p99_ms"] < 10_000
