"""How long from starting the assistant until the customer sees the first check result.

Starts `isp-assistant --headless` (a fresh data folder each time), reads its address,
opens it in Debian's Chromium through Playwright, and stops the clock when the first
check shows its result in the page. As a baseline, in the same run: a bare Python process
that only imports FastAPI and uvicorn. Prints the medians and their ratio.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCRIPT = Path(sys.executable).with_name("isp-assistant")
FIRST_RESULT = ".check[data-status]:not([data-status='pending']):not([data-status='locked'])"
GOAL_SECONDS = 1.5


def time_baseline() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import fastapi, uvicorn"], check=True)
    return time.perf_counter() - started


def time_first_result(browser) -> float:
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as folder:
        environ = {**os.environ, "ISP_ASSISTANT_DATA_DIR": folder}
        page = browser.new_page()
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(SCRIPT), "--headless"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=environ,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line.startswith("Assistant: "):
                raise RuntimeError(f"unexpected first line: {line!r}")
            page.goto(line.split(" ", 1)[1].strip())
            page.wait_for_selector(FIRST_RESULT, timeout=30_000)
            elapsed = time.perf_counter() - started
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(30)
            page.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        time_first_result(browser)  # warm the disk cache, as a second start would be
        first_results = [time_first_result(browser) for _ in range(args.runs)]
        browser.close()
    baselines = [time_baseline() for _ in range(args.runs)]

    result = statistics.median(first_results)
    baseline = statistics.median(baselines)
    print(
        f"first check result shown: {result:.3f} s (median of {args.runs}; goal < {GOAL_SECONDS} s)"
    )
    print(f"  runs: {', '.join(f'{value:.3f}' for value in first_results)}")
    print(f"baseline `python -c 'import fastapi, uvicorn'`: {baseline:.3f} s (median)")
    print(f"ratio: {result / baseline:.2f}x the baseline")
    return 0 if result < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
