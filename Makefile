# Homegroup: `make run` serves the site, `make test` runs every test. Each installs what it needs:
# `make run` only what the site needs, `make test` the test tools and axe-core as well.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO ?= 1

.PHONY: install install-dev install-test run test lint format bench

# What running the site needs, and nothing more.
$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

# The test and lint tools (pytest, Playwright, ruff, the servers the process tests start).
$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# axe-core for the accessibility browser test (tests/browser/package.json), when npm is present.
tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	if command -v npm >/dev/null; then cd tests/browser && npm ci --no-audit --no-fund --loglevel=error; fi

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev
install-test: install-dev tests/browser/node_modules/.package-lock.json

run: install
	$(BIN)/python manage.py migrate --noinput
	if [ "$(DEMO)" = "1" ]; then $(BIN)/python manage.py seed_demo --size tiny --if-empty; fi
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks on PostgreSQL + Redis (see docs/benchmarks.md); BENCH_ARGS="--size large" etc.
bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)
