# Two entry points: `make demo` runs the product on its embedded defaults,
# `make test` runs the whole test suite. Both set up everything they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

# Python keeps each module it compiles as bytecode beside it, unless told not to. Some
# machines tell it not to: then every test worker, assistant and server the tests start
# compiles the whole project again (collecting the tests alone took 28 s of CPU instead
# of 12). The tests and the demo always write it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test test-fast screenshots lint format system-demo system-test clean

demo: system-demo $(INSTALLED)
	$(BIN)/python -m agent_portal.demo

# One pytest worker more than there are cores: each keeps its own databases, browser and
# servers, and part of the time a worker waits on them. Measured on two cores: two workers
# 27-30 minutes, three 23, four slower again and failing on timeouts (Chromium and the
# assistant's processes then want more than the cores give). Idle workers take tests
# queued for busy ones, so no slow one holds up the end.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: system-test $(INSTALLED) lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The quick loop while working: SQLite only, no browser, window or server processes, not
# the few tests marked slow, fewer Hypothesis examples. `make test` runs all of it.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal -k "not postgresql" -m "not browser and not subprocess and not desktop and not slow" --hypothesis-profile=fast

# The README's pictures, in German, taken by the browser tests that reach each view
# (tests/support/readme_shots.py); `make test` runs the same tests but writes no pictures.
SCREENSHOTS := docs/screenshots
SCREENSHOT_NAMES := assistant-overview assistant-finding assistant-live-help \
	portal-customer portal-chat portal-report

screenshots: system-test $(INSTALLED)
	rm -f $(SCREENSHOT_NAMES:%=$(SCREENSHOTS)/%.png)
	README_SCREENSHOTS=$(SCREENSHOTS) $(BIN)/python -m pytest -q -m readme_screenshots -k "not postgresql"
	@for name in $(SCREENSHOT_NAMES); do \
		test -s $(SCREENSHOTS)/$$name.png || { echo "no picture taken: $$name" >&2; exit 1; }; \
	done
	@ls -l $(SCREENSHOTS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

system-demo:
	@bash scripts/system-packages.sh demo

system-test:
	@bash scripts/system-packages.sh test

# constraints.txt pins the versions the tests run on (tests/test_dependencies.py).
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[server,desktop,test]'
	touch $(INSTALLED)

clean:
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache *.egg-info
