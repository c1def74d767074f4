# govstat: two commands on a fresh machine, `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint mypy-baseline venv services services-down status migrate seed assets bench clean

$(STAMP): pyproject.toml constraints.txt setup.py
	@command -v $(PY) >/dev/null || PY=python3; test -d $(VENV) || $${PY:-python3} -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

services:
	ops/services/services.sh up

services-down:
	ops/services/services.sh down

status:
	ops/services/services.sh status

assets: $(STAMP)
	ops/assets/build.sh

migrate: venv services
	$(BIN)/govstat migrate

seed: migrate
	$(BIN)/govstat seed --demo

# Installs what is missing, starts local services, migrates, seeds the demo once,
# and runs app + worker + relay + monitor at http://127.0.0.1:8000. Ctrl-C stops them,
# and the services this run started.
run: venv assets
	ops/fonts.sh
	ops/services/with-services.sh $(BIN)/govstat up

# The whole suite against real PostgreSQL, Redis and Kafka (and headless Chromium). The services it
# starts include a hot-standby replica of PostgreSQL (tests/platform/test_replicas.py); GOVSTAT_PG_REPLICA=0 leaves it out.
test: export GOVSTAT_PG_REPLICA ?= 1
test: venv services assets lint
	ops/test-deps.sh
	$(BIN)/pytest -q

# The same checks as .pre-commit-config.yaml ([tool.ruff] and [tool.mypy] in pyproject.toml).
lint: venv
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy

# Regenerate mypy's list of modules not yet strict (pyproject.toml; it only shrinks).
mypy-baseline: venv
	$(BIN)/python ops/tools/mypy_baseline.py --write

bench: venv services
	@command -v wrk >/dev/null || apt-get install -y -qq wrk
	@$(BIN)/python -c "import locust" 2>/dev/null || $(BIN)/pip install -q -c constraints.txt -e '.[bench]'
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) test-artifacts
