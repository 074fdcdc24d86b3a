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

.PHONY: run stop test test-pin install ui lint typecheck unit integration ui-test browser-deps browser constraints clean fuzz
# The pin (Airflow 3.3.2) is .venv with constraints.txt; each older supported release has its own
# virtualenv .venv-<minor> pinned by constraints/airflow-<minor>.txt.
AIRFLOW_LEGS := 3.1 3.2
# A leg runs the `versions` integration set on one stack flavour, so the two older releases between
# them cover both databases and both auth managers (the pin runs everything on both).
LEG_STACKS_3.1 := sqlite-simple
LEG_STACKS_3.2 := postgres-fab
# ...and the unit tests minus those whose code never imports Airflow and that take most of the unit
# time: the SDK's, the pieces CLI's, the installer's virtualenv builds and sandboxed compiles, the
# OS sandbox of piece processes, and the repositories CLI's success path (a virtualenv build). The
# CLI's failure tests (Airflow's session, logging and warnings reach its stderr) and GitHub sources
# (Airflow connections) stay in.
LEG_UNIT := tests/unit --ignore=tests/unit/sdk --ignore=tests/unit/pieces_cli \
	--ignore=tests/unit/execution/test_subprocess_sandbox.py \
	$(addprefix --ignore=tests/unit/repositories/,test_install_local_and_git.py test_install_refusals.py \
	test_sandboxed_compile.py test_third_party_and_runtimes.py) \
	--deselect tests/unit/repositories/test_cli.py::test_cli_installs_with_progress_and_is_idempotent_with_if_missing
LEG_TARGETS := $(addprefix test-airflow-,$(AIRFLOW_LEGS))
.PHONY: $(LEG_TARGETS) $(addprefix constraints-airflow-,$(AIRFLOW_LEGS))
.PRECIOUS: .venv-%/.installed

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

## make test: lint, type checks, GUI unit tests, unit, integration and browser tests on real Airflow
## (the pin), then each older release's leg (test-airflow-3.1, test-airflow-3.2; each builds its
## virtualenv on first use). Every part runs even when another failed (--keep-going); make test fails
## if any did.
## See docs/development.md "Airflow versions".
test: $(INSTALLED) $(UI_BUILD) lint typecheck ui-test browser-deps
	$(MAKE) --no-print-directory --keep-going test-pin $(LEG_TARGETS)

## make test-pin: only the pytest part of `make test` on the pin, as pytest sessions side by side (the
## stack tests spend most of their time waiting on Airflow's loops): the unit tests, and one session
## per stack flavour (DOMINO_TEST_SHARD: that flavour's tests; the first flavour's session also runs
## the tests that bring their own stacks, Docker or packaging). The last flavour's session prints as
## it goes, the others' output follows at the end (also in test-artifacts/pytest-*.log). Each lists
## its 25 slowest tests; test-pin fails if any session failed (one with no test to run has not). PIN_PARALLEL=0: one session for all,
## as `pytest` does. UNIT_TESTS, STACK_TESTS and DOMINO_TEST_STACKS narrow them, e.g.
##   make test-pin UNIT_TESTS=tests/unit/dag_factory STACK_TESTS=tests/integration/test_plugin.py
PIN_PARALLEL ?= 1
UNIT_TESTS ?= tests/unit
STACK_TESTS ?= tests/integration tests/browser
PIN_FLAVOURS = $(subst $(comma), ,$(or $(DOMINO_TEST_STACKS),sqlite-simple$(comma)postgres-fab))
comma := ,
test-pin: $(INSTALLED) $(UI_BUILD) browser-deps
ifeq ($(PIN_PARALLEL),0)
	$(PY) -m pytest --durations=25 $(UNIT_TESTS) $(STACK_TESTS)
else
	@mkdir -p test-artifacts; echo "== pytest sessions side by side: unit tests, then one per stack flavour ($(PIN_FLAVOURS)); the last one prints as it goes, the others' output follows at the end"
	@$(PY) -m pytest --durations=25 -o cache_dir=.pytest_cache/unit $(UNIT_TESTS) > test-artifacts/pytest-unit.log 2>&1 & jobs="unit:$$!"; \
	last=$(lastword $(PIN_FLAVOURS)); \
	for flavour in $(filter-out $(lastword $(PIN_FLAVOURS)),$(PIN_FLAVOURS)); do \
		DOMINO_TEST_SHARD=$$flavour $(PY) -m pytest --durations=25 -o cache_dir=.pytest_cache/$$flavour $(STACK_TESTS) \
			> test-artifacts/pytest-$$flavour.log 2>&1 & jobs="$$jobs $$flavour:$$!"; \
	done; \
	DOMINO_TEST_SHARD=$$last $(PY) -m pytest --durations=25 $(STACK_TESTS); code=$$?; summary="$$last $$code"; \
	status=$$(( code != 0 && code != 5 )); \
	for job in $$jobs; do \
		name=$${job%%:*}; wait $${job#*:}; code=$$?; summary="$$summary, $$name $$code"; \
		[ $$code -eq 0 ] || [ $$code -eq 5 ] || status=1; \
		echo "== pytest session '$$name' (exit status $$code)"; cat test-artifacts/pytest-$$name.log; \
	done; \
	echo "== exit status per session: $$summary"; exit $$status
endif

## make test-airflow-3.1 (or -3.2): on that release, in .venv-3.1, the Airflow-facing unit tests
## (LEG_UNIT) and the integration tests marked `versions` (plugin load, migrations, auth, save -> DAG
## -> run, logs) on the leg's stack flavour (LEG_STACKS_3.1); the UI build is shared.
## LEG_STACKS_3.1=sqlite-simple,postgres-fab runs the `versions` set on both.
$(LEG_TARGETS): test-airflow-%: .venv-%/.installed $(UI_BUILD)
	@echo "== Airflow $$(.venv-$*/bin/python -c 'import airflow; print(airflow.__version__)') (.venv-$*)"
	.venv-$*/bin/python -m pytest -p no:cacheprovider $(LEG_UNIT)
	DOMINO_TEST_STACKS=$(LEG_STACKS_$*) .venv-$*/bin/python -m pytest -p no:cacheprovider -m versions tests/integration

.venv-%/.installed: constraints/airflow-%.txt setup.cfg pyproject.toml sdk/pyproject.toml requirements-dev.txt
	@test -x .venv-$*/bin/python || $(PYTHON) -m venv .venv-$*
	.venv-$*/bin/pip install --quiet --upgrade pip
	.venv-$*/bin/pip install --quiet --constraint $< --editable ./sdk --editable ".[docker,fab,celery]" --requirement requirements-dev.txt
	@touch $@

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
	@{ grep '^#' constraints.txt; $(PIP) freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel|airflow-domino-plugin|airflow-domino-sdk)=='; } > constraints.new && mv constraints.new constraints.txt

## make constraints-airflow-3.1 (or -3.2): the same for an older release's virtualenv; the file's header
## says how that virtualenv was first resolved (change the Airflow version there, re-resolve, re-pin)
$(addprefix constraints-airflow-,$(AIRFLOW_LEGS)): constraints-airflow-%: .venv-%/.installed
	@{ grep '^#' constraints/airflow-$*.txt; .venv-$*/bin/pip freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel|airflow-domino-plugin|airflow-domino-sdk)=='; } > constraints/airflow-$*.new && mv constraints/airflow-$*.new constraints/airflow-$*.txt

clean:
	rm -rf $(VENV) $(addprefix .venv-,$(AIRFLOW_LEGS)) static/node_modules airflow_domino_plugin/views/ui_build .airflow
