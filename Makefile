# The README's two commands: `make demo` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help demo test test-unit test-integration test-e2e lint contracts format packages clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

packages:  ## Install the Debian packages the tests use: Chromium, CJK fonts, nginx (root or sudo)
	@scripts/install-packages

demo: $(STAMP)  ## Start sandbox + portal + worker with a demo database (Ctrl-C stops all)
	$(BIN)/flask --app portal demo

test: $(STAMP) packages  ## Run every test tier: unit, integration, browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n 2 -m "not integration and not e2e"
	$(BIN)/pytest -q -m "integration or e2e"

test-unit: $(STAMP)  ## Unit and route tests only (fast; in-process, so on both cores)
	$(BIN)/pytest -q -n 2 -m "not integration and not e2e"

test-integration: $(STAMP) packages  ## Real processes on loopback
	$(BIN)/pytest -q -m integration

test-e2e: $(STAMP) packages  ## Playwright journeys in real Chromium
	$(BIN)/pytest -q -m e2e

lint: $(STAMP)  ## ruff check
	$(BIN)/ruff check .

contracts: $(STAMP)  ## Check the layer contracts (pyproject.toml [tool.importlinter])
	$(BIN)/lint-imports

format: $(STAMP)  ## ruff format
	$(BIN)/ruff format .

clean:  ## Remove the virtualenv, caches and demo data
	rm -rf $(VENV) .pytest_cache .ruff_cache instance test-artifacts
