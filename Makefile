# airflow-domino-plugin developer commands. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
INSTALLED := $(VENV)/.installed
UI_BUILD := airflow_domino_plugin/views/ui_build/index.html
UI_DEPS := static/node_modules/.package-lock.json
UI_SOURCES := $(shell find static -path static/node_modules -prune -o -type f -print 2>/dev/null)
PORT ?= 8080

.PHONY: run stop test install ui lint typecheck unit integration ui-test browser-deps browser constraints clean fuzz

## make run: the local stack (SQLite, LocalExecutor) with the GUI, on http://localhost:$(PORT)
## make run RUNNER=docker: the same with [domino] default_runner=docker (needs a Docker engine, or
## root to start Debian's dockerd; builds the example pieces' images first). See docs/docker.md.
RUNNER ?= subprocess
run: $(INSTALLED) $(UI_BUILD)
	$(PY) -m tools.localstack run --port $(PORT) --runner $(RUNNER) \
		--setup "$(PY) -m airflow_domino_plugin.repositories install examples/pieces --if-missing" \
		--after-start "$(PY) -m tools.seed_examples"

## make stop: stop a stack started by `make run` (from another shell)
stop:
	@$(PY) -m tools.localstack stop

## make test: lint, type checks, GUI unit tests, unit and integration tests on real Airflow
test: $(INSTALLED) $(UI_BUILD) lint typecheck ui-test browser-deps
	$(PY) -m pytest

install: $(INSTALLED)

$(INSTALLED): setup.cfg pyproject.toml sdk/pyproject.toml constraints.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --constraint constraints.txt --editable ./sdk --editable ".[docker,fab,celery]" --requirement requirements-dev.txt
	@touch $@

ui: $(UI_BUILD)

$(UI_DEPS): static/package.json static/package-lock.json
	cd static && npm ci --no-audit --no-fund
	@touch $@

$(UI_BUILD): $(UI_DEPS) $(UI_SOURCES)
	cd static && npm run build

ui-test: $(UI_DEPS)
	cd static && npm run typecheck && npm test

## browser-deps: Debian's Chromium for the Playwright browser tests (tests/browser), if missing.
browser-deps:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

## make browser: only the browser journeys (headless Chromium against a real stack)
browser: $(INSTALLED) $(UI_BUILD) browser-deps
	$(PY) -m pytest tests/browser

## lint: ruff, then the import contracts of pyproject.toml (layers, forbidden imports, no cycles)
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(INSTALLED)
	$(VENV)/bin/mypy

unit: $(INSTALLED)
	$(PY) -m pytest tests/unit

integration: $(INSTALLED) $(UI_BUILD)
	$(PY) -m pytest tests/integration

## make fuzz: schemathesis over the API's OpenAPI document on a fresh stack; prints requests, 5xx and schema violations
fuzz: $(INSTALLED)
	$(PY) -m tools.fuzz $(FUZZ_ARGS)

## make constraints: re-pin the tested set from the current virtualenv
constraints: $(INSTALLED)
	@{ head -2 constraints.txt; $(PIP) freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel|airflow-domino-plugin)=='; } > constraints.new && mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) static/node_modules airflow_domino_plugin/views/ui_build .airflow
