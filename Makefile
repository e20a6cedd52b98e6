# Cobalto — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv

.PHONY: run test install install-dev lint typecheck contracts unit serve worker migrate lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

# Reproducible installs from the hashed lock files (regenerate with `make lock`).
$(VENV)/.app-installed: requirements/app.lock pyproject.toml | $(BIN)/python
	$(UV) pip install --python $(BIN)/python --quiet --require-hashes -r requirements/app.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(UV) pip install --python $(BIN)/python --quiet --require-hashes -r requirements/dev.lock
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@ $(VENV)/.app-installed

install: $(VENV)/.app-installed
install-dev: $(VENV)/.dev-installed

## make run: embedded default (SQLite under ./var, in-process jobs, demo tenant) on http://127.0.0.1:8000
run: install
	$(BIN)/cobalto run

## make test: lint, types, architecture contracts, then the whole test suite.
## Browser tests run in a process of their own: sync Playwright keeps an event loop
## running in the main thread, which async tests sharing the process would trip on.
test: install-dev lint typecheck contracts
	$(BIN)/pytest -q -n 2 --timeout=300 --ignore=tests/e2e $(PYTEST_ARGS)
	$(BIN)/pytest -q --timeout=300 tests/e2e $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench

typecheck: install-dev
	$(BIN)/mypy app
	$(BIN)/mypy --strict app/domain

contracts: install-dev
	$(BIN)/lint-imports

unit: install-dev
	$(BIN)/pytest -q tests/unit

serve: install
	$(BIN)/cobalto serve --workers 2

worker: install
	$(BIN)/cobalto worker

migrate: install
	$(BIN)/cobalto migrate

lock: | $(BIN)/python
	$(UV) pip compile pyproject.toml -o requirements/app.lock --python-version 3.11 --generate-hashes -q
	$(UV) pip compile pyproject.toml --extra dev -o requirements/dev.lock --python-version 3.11 --generate-hashes -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
