# rus-pipeline. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export GX_ANALYTICS_ENABLED := false
export DAGSTER_DISABLE_TELEMETRY := true

.DEFAULT_GOAL := help
.PHONY: help install system run dev check test test-unit test-integration e2e report bench lint fmt snapshot replay dbt-parse dbt-build dbt-pg docs clean bi-install bi live-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --frozen --inexact --extra dev --extra bench --compile-bytecode --python $(BIN)/python
	@touch $@

install: $(STAMP) ## create .venv and install the locked dependencies (uv; the dev and bench extras)

system: ## install the Debian packages the tests need when missing (PostgreSQL, Chromium)
	@bash scripts/install-system-packages.sh

run: $(STAMP) ## the main job on the bundled snapshot into data/, a summary per stage (FULL=1: refetch all; REBUILD=1: rebuild even if unchanged; VERBOSE=1: all output here, not in data/logs/)
	$(BIN)/python -m orchestration.cli run $(if $(FULL),--full-refresh) $(if $(REBUILD),--rebuild) $(if $(VERBOSE),--verbose)

report: $(STAMP) ## write data/reports/uppfoljning_<YEAR>.html and .md (make report YEAR=2022; default latest)
	$(BIN)/python -m orchestration.cli report $(if $(YEAR),--year $(YEAR))

LATENCY_MS ?= 50
bench: $(STAMP) ## performance of the whole pipeline vs targets, peers and the floor (LATENCY_MS=50): table + data/bench/results.json
	$(BIN)/python -m benchmarks --latency-ms $(LATENCY_MS)

PORT ?= 3000
dev: $(STAMP) ## Dagster UI on http://127.0.0.1:3000 (make dev PORT=3001: another port) with the replay server; Ctrl-C stops all of it
	$(BIN)/python -m orchestration.cli dev --port $(PORT)

# Apache Superset, the analysts' BI tool, in an environment of its own (.venv-bi/, ~850 MB): it
# pins duckdb<2 and SQLAlchemy 1.4, which the pipeline's environment cannot share.
BI_VENV := .venv-bi
BI_STAMP := $(BI_VENV)/.installed-stamp
BI_PORT ?= 8088
BI_DB ?= data/published/rus.duckdb
BI_HOME ?= $(CURDIR)/data/bi

$(BI_STAMP): deploy/superset/requirements.txt | $(STAMP)
	@test -x $(BI_VENV)/bin/python || $(BIN)/uv venv -q --python $(PYTHON) --no-python-downloads $(BI_VENV)
	$(BIN)/uv pip sync -q --python $(BI_VENV)/bin/python --require-hashes --compile-bytecode deploy/superset/requirements.txt
	@touch $@

bi-install: $(BI_STAMP) ## create .venv-bi with Apache Superset (deploy/superset/requirements.txt, pinned and hashed)

bi: $(BI_STAMP) ## Superset on http://127.0.0.1:8088 (BI_PORT=…) with the dashboard RUS-uppföljning over data/published/rus.duckdb; state in data/bi/
	@test -f $(BI_DB) || { echo "$(BI_DB) is missing: run \`make run\` first (it publishes the file Superset reads)" >&2; exit 1; }
	RUS_BI_HOME=$(BI_HOME) $(BI_VENV)/bin/python deploy/superset/setup.py $(abspath $(BI_DB)) --port $(BI_PORT)
	RUS_BI_HOME=$(BI_HOME) SUPERSET_CONFIG_PATH=$(CURDIR)/deploy/superset/superset_config.py \
		$(BI_VENV)/bin/gunicorn \
		--bind 127.0.0.1:$(BI_PORT) --workers 2 --threads 4 --timeout 120 --no-control-socket \
		"superset.app:create_app()"

live-check: $(STAMP) ## before the first live night: one small question to each live endpoint, answers' shapes compared with what the loaders read (KOLADA_BASE_URL, PXWEB_BASE_URL, PXWEB_V1_BASE_URL; report under data/live-check/)
	$(BIN)/python -m ingest live-check

TEST_WORKERS ?= 2
check: lint ## the inner loop, under 90 s: lint (ruff, sqlfluff) and the unit tests; no dbt, no pipeline run, no installs
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m unit tests/unit

test: lint $(BI_STAMP) system ## the whole test suite on TEST_WORKERS processes, after make check's lint (installs PostgreSQL and Chromium when missing)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

test-unit: $(STAMP) ## unit tests only
	$(BIN)/pytest -m unit tests/unit

test-integration: $(STAMP) system ## replay-server and dbt integration tests
	$(BIN)/pytest tests/integration

e2e: $(STAMP) system ## end-to-end runs of the main job
	$(BIN)/pytest tests/e2e

lint: $(STAMP) ## ruff and sqlfluff (the dbt SQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros dbt_project/tests

fmt: $(STAMP) ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

snapshot: $(STAMP) ## rebuild the bundled snapshot (sources/ from ../shared/realdata when present; deterministic)
	$(BIN)/python -m ingest.snapshot.build

replay: $(STAMP) ## serve the bundled snapshot on 127.0.0.1:8765
	$(BIN)/python -m ingest.replay --port 8765 --verbose

dbt-parse: $(STAMP) ## write dbt_project/target/manifest.json
	cd dbt_project && RUS_DATA_DIR=$${RUS_DATA_DIR:-$(CURDIR)/data} ../$(BIN)/dbt parse --profiles-dir .

dbt-pg: $(STAMP) ## copy the raw loads into PostgreSQL (RUS_PG_HOST, …) and dbt build there (target pg)
	$(BIN)/python -m orchestration.publish.pg_warehouse

dbt-build: $(STAMP) ## dbt build against the current raw loads in data/
	cd dbt_project && RUS_DATA_DIR=$${RUS_DATA_DIR:-$(CURDIR)/data} ../$(BIN)/dbt build --profiles-dir .

docs: $(STAMP) ## dbt docs generate (dbt_project/target/index.html)
	cd dbt_project && RUS_DATA_DIR=$${RUS_DATA_DIR:-$(CURDIR)/data} ../$(BIN)/dbt docs generate --profiles-dir .

clean: ## remove generated data and build output (keeps .venv)
	rm -rf data dbt_project/target dbt_project/logs .pytest_cache
