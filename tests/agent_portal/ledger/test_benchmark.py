"""The ledger benchmark runs end to end on a few sessions, on both databases: it reports
each figure and ends with one JSON line whose numbers are CPU milliseconds per operation,
and the ledger it leaves passes the check. (How fast is for the benchmark to say.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "ledger.py"

pytestmark = pytest.mark.subprocess


def test_the_ledger_benchmark_reports_a_transfer_beside_a_bare_insert(database_url):
    command = [sys.executable, str(BENCHMARK), "--count", "10"]
    if database_url.startswith("postgresql"):
        command += ["--database-url", database_url]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=170)
    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.strip().splitlines()
    assert "ledger-check afterwards: passed" in finished.stdout
    result = json.loads(lines[-1])
    assert result["count"] == 10
    assert result["database"] == ("PostgreSQL" if "postgresql" in database_url else "SQLite")
    for key in ("transfer_cpu_ms", "bare_insert_cpu_ms", "authorise_cpu_ms", "post_cpu_ms"):
        assert result[key] > 0, key
    total = result["authorise_cpu_ms"] + result["post_cpu_ms"]
    assert result["transfer_cpu_ms"] == pytest.approx(total, abs=0.01)
