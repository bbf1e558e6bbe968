# The two commands: `make demo` runs the product once end to end; `make test` runs every check.
# Both create .venv and install the project on first use. Without DATABASE_URL / REDIS_URL they
# start an embedded PostgreSQL and Redis under .demosim/; with them, they use the given servers.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo demo-native serve test test-ui lint bench clean

demo: $(INSTALLED)
	$(BIN)/demosim demo

# the native loop: Instagram's webhooks to the reference host, replies through the Graph API
demo-native: $(INSTALLED)
	$(BIN)/demosim demo --native

# the API, a worker and the scheduler until Ctrl-C, on the data `make demo` left
serve: $(INSTALLED)
	$(BIN)/demosim serve

# everything but the browser tests, which need Chromium (make test-ui)
test: lint
	$(BIN)/pytest --ignore=tests/ui

# the dashboard in a real headless Chromium: Debian's chromium and chromium-driver packages
test-ui: $(INSTALLED)
	$(BIN)/pytest tests/ui

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench migrations
	$(BIN)/ruff format --check src tests bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(INSTALLED)
	$(BIN)/python bench/stages.py
	$(BIN)/python bench/reads.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/delivery.py
	$(BIN)/python bench/initial_batch.py
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/backfill.py
	$(BIN)/python bench/realism.py

$(INSTALLED): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) .demosim .mypy_cache .pytest_cache .ruff_cache .import_linter_cache src/*.egg-info
