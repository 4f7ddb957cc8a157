"""The expert search benchmark runs end to end on a small load: it seeds the profiles,
times both kinds of search and the bare lookup, and ends with the JSON summary, per
database. (How fast is for the benchmark to say, not a test.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.subprocess

BENCHMARK = Path(__file__).resolve().parents[3] / "benchmarks" / "experts.py"


def test_the_expert_search_benchmark_measures_and_ends_with_json():
    finished = subprocess.run(
        [sys.executable, str(BENCHMARK), "--profiles", "120", "--queries", "20"],
        capture_output=True,
        text=True,
        timeout=170,
    )
    output = finished.stdout
    assert finished.returncode == 0, output + finished.stderr
    assert re.search(r"seeded\s+120 profiles", output), output
    for kind in ("prefix", "category", "bare"):
        line = rf"^{kind}\s+p50\s+[\d.]+ ms\s+p99\s+[\d.]+ ms\s+\(20 runs\)"
        assert re.search(line, output, re.M), output
    summary = json.loads(output.splitlines()[-1])
    assert summary["profiles"] == 120
    assert list(summary["databases"]) == ["SQLite"]
    figures = summary["databases"]["SQLite"]
    for key in (
        "search_p50_ms",
        "search_p99_ms",
        "bare_p50_ms",
        "bare_p99_ms",
        "search_cpu_p50_ms",
    ):
        assert isinstance(figures[key], float) and figures[key] > 0, summary
    assert summary["goal"] == {"search_p99_under_ms": 30.0, "bare_p99_times": 5.0}
    assert figures["under_goal_ms"] is (figures["search_p99_ms"] < 30)
    assert figures["within_bare_ratio"] is (figures["search_p99_ms"] <= 5 * figures["bare_p99_ms"])
    met = figures["under_goal_ms"] and figures["within_bare_ratio"]
    assert figures["goal_met"] is met and summary["goal_met"] is met, summary


def test_the_benchmark_reports_postgresql_beside_sqlite(postgres_server):
    finished = subprocess.run(
        [
            sys.executable,
            str(BENCHMARK),
            "--profiles",
            "60",
            "--queries",
            "10",
            "--database-url",
            postgres_server.url,
        ],
        capture_output=True,
        text=True,
        timeout=170,
    )
    output = finished.stdout
    assert finished.returncode == 0, output + finished.stderr
    assert re.search(r"^PostgreSQL:\nprefix\s+p50", output, re.M), output
    summary = json.loads(output.splitlines()[-1])
    assert list(summary["databases"]) == ["SQLite", "PostgreSQL"]
    both = summary["databases"].values()
    assert summary["goal_met"] is all(figures["goal_met"] for figures in both), summary
