"""The expert search benchmark runs end to end on a small load: it seeds the profiles,
times both kinds of search and the bare lookup, and ends with the JSON summary. (How fast
is for the benchmark to say, not a test.)"""

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
    for key in ("search_p50_ms", "search_p99_ms", "bare_p99_ms"):
        assert isinstance(summary[key], float) and summary[key] > 0, summary
