"""The floor benchmark runs end to end on a tiny load: both servers answer every request
of the three routes with 200, and the last line is the JSON summary. (How fast is for
the benchmark to say, not a test.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.system import require_program

pytestmark = pytest.mark.subprocess

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "floor.py"


def test_the_floor_benchmark_measures_three_routes_and_ends_with_json():
    require_program("wrk", "wrk")
    finished = subprocess.run(
        [sys.executable, str(BENCHMARK), "--seconds", "1", "--rounds", "1", "--warm-up", "0"],
        capture_output=True,
        text=True,
        timeout=170,
    )
    output = finished.stdout
    assert finished.returncode == 0, output + finished.stderr  # 1: an answer was not 200
    for route in ("healthz", "API", "page"):
        for server in ("bare", "portal"):
            assert re.search(rf"^{route}\s+{server}\s+\d+ .* ms/r", output, re.M), output
    summary = json.loads(output.splitlines()[-1])
    for ratio in ("health_ratio", "api_ratio", "page_ratio"):
        assert isinstance(summary[ratio], float) and summary[ratio] > 0, summary
