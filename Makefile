# Continuity — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install lock run surge migration rebuild messages test test-lane-inside test-lane-e2e-faults test-lane-e2e-api test-lane-browser test-unit test-integration test-contract test-e2e test-browser lint deploy-check clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

# Every package, direct or pulled in, comes from the lock at the version and hash it
# names (pip refuses anything else); then the project itself, built by the locked
# setuptools, without looking for more.
$(STAMP): pyproject.toml requirements/dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# an older install's metadata in the source tree would shadow the new one's
	@# entry points (the process types): the editable install keeps none there
	rm -rf continuity.egg-info
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv with the locked packages (only what is missing)

LOCK := $(BIN)/uv pip compile pyproject.toml requirements/build.in --generate-hashes --no-header --quiet
lock: $(STAMP) ## After changing a pin in pyproject.toml: resolve every package anew into requirements/*.lock, with hashes
	$(LOCK) -o requirements/runtime.lock
	$(LOCK) --extra dev -o requirements/dev.lock

run: $(STAMP) ## Run the whole platform on http://127.0.0.1:8000 (Ctrl-C stops it)
	CONTINUITY_ENV=$${CONTINUITY_ENV:-development} $(BIN)/continuity-run

SURGE_ARGS ?=
surge: $(STAMP) ## Replay a surge against a running platform (make run), with a live display and a report: SURGE_ARGS="--institutions 40 --minutes 2"
	$(BIN)/continuity-surge $(SURGE_ARGS)

migration: $(STAMP) ## Next revision of SERVICE's schema history from its models: SERVICE=onboarding MESSAGE="..."
	@test -n "$(SERVICE)" -a -n "$(MESSAGE)" || { echo 'usage: make migration SERVICE=onboarding MESSAGE="what changes"'; exit 2; }
	$(BIN)/python -m services.common.migrations "$(SERVICE)" "$(MESSAGE)" $(SCRATCH_URL)

rebuild: $(STAMP) ## Make SERVICE's read models again from its producers' outboxes (its database new): SERVICE=tracking
	@test -n "$(SERVICE)" || { echo 'usage: make rebuild SERVICE=tracking'; exit 2; }
	$(BIN)/continuity-rebuild "$(SERVICE)"

# One process per layer: in-process nameko containers of the integration tests can
# leave green threads listening on sockets that later tests' connections reuse. Four
# lanes side by side: the end-to-end and browser tests mostly wait on the processes
# they start, so the other layers run meanwhile (each lane's output shows when it
# ends). The end-to-end tests that break or restart things have a lane of their own.
E2E_FAULTS := faults outages startup rebuild upgrade surge_simulator rate_limits \
	webhooks monitoring catalogue
E2E_FAULT_FILES := $(E2E_FAULTS:%=tests/e2e/test_%.py)

test: $(STAMP) ## Run the whole suite against the local RabbitMQ, PostgreSQL and Redis
	@$(MAKE) --no-print-directory -j4 --output-sync=target test-lane-inside test-lane-e2e-faults test-lane-e2e-api test-lane-browser

test-lane-inside: $(STAMP) ## A lane of make test: unit, contract and integration tests, one after another
	$(BIN)/nameko test tests/unit $(PYTEST_ARGS)
	$(BIN)/nameko test tests/contract $(PYTEST_ARGS)
	$(BIN)/nameko test tests/integration $(PYTEST_ARGS)

test-lane-e2e-faults: $(STAMP) ## A lane of make test: end-to-end tests that break, restart or load the platform
	$(BIN)/nameko test $(E2E_FAULT_FILES) $(PYTEST_ARGS)

test-lane-e2e-api: $(STAMP) ## A lane of make test: the other end-to-end tests (the API, tenancy, documents)
	$(BIN)/nameko test tests/e2e --ignore=tests/e2e/browser $(E2E_FAULT_FILES:%=--ignore=%) $(PYTEST_ARGS)

test-lane-browser: $(STAMP) ## A lane of make test: the browser tests
	$(BIN)/python -m pytest tests/e2e/browser $(PYTEST_ARGS)

test-unit: $(STAMP) ## Unit tests only (domain code, schemas; SQLite and PostgreSQL)
	$(BIN)/nameko test tests/unit $(PYTEST_ARGS)

test-integration: $(STAMP) ## Service tests against the real broker and database
	$(BIN)/nameko test tests/integration $(PYTEST_ARGS)

test-contract: $(STAMP) ## Frozen event samples still load
	$(BIN)/nameko test tests/contract $(PYTEST_ARGS)

test-e2e: $(STAMP) ## The journey over HTTP through the real processes, then in Chromium
	$(BIN)/nameko test tests/e2e --ignore=tests/e2e/browser $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/e2e/browser $(PYTEST_ARGS)

# Playwright's sync API hangs at random under eventlet's monkey-patching, so the
# browser tests run in a plain pytest process (they drive the platform from outside)
test-browser: $(STAMP) ## The web app in headless Chromium (Debian's chromium package)
	$(BIN)/python -m pytest tests/e2e/browser $(PYTEST_ARGS)

lint: $(STAMP) ## ruff
	$(BIN)/ruff check services gateway tests bench

deploy-check: ## Validate docker-compose.yml and deploy/ without an engine or a cluster
	bash deploy/check.sh

clean: ## Remove local data (var/) — the virtualenv stays
	rm -rf "$${VAR_DIR:-var}"

messages: $(STAMP) ## Extract the web app's texts and update its French and English catalogues (gateway/web/translations)
	$(BIN)/pybabel --quiet extract -F gateway/web/babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location --sort-output -o gateway/web/translations/messages.pot .
	$(BIN)/pybabel --quiet update -i gateway/web/translations/messages.pot -d gateway/web/translations --no-fuzzy-matching --ignore-obsolete
