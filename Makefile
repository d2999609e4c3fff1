# SECTOR Program Portal — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The suite runs on PostgreSQL; pytest-django creates and drops test_<name> beside this database.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/sector
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

# Installs come from the lock files (every package pinned with its hashes); the project itself goes in
# without dependencies. `make lock` regenerates them from pyproject.toml (see "Dependencies" in the README).
LOCK_RUNTIME := requirements/runtime.lock
LOCK_TEST := requirements/test.lock
TOOLS := .venv-tools
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS)/bin/pip-compile -q --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

.PHONY: run test lint bench bench-hostile install install-test system-deps services migrate demo worker beat clean lock audit

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(LOCK_RUNTIME) | $(VENV)/bin/python
	$(VENV)/bin/pip install -q --require-hashes -r $(LOCK_RUNTIME)
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK_TEST) $(VENV)/.installed
	$(VENV)/bin/pip install -q --require-hashes -r $(LOCK_TEST)
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

## The lock and audit tools live in their own venv, so they never end up in the app's.
$(TOOLS)/bin/pip-compile:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q "pip-tools>=7.4" "pip-audit>=2.7"

## make lock: re-resolve requirements/*.lock from pyproject.toml (keeps current pins where they still fit;
## `make lock LOCK_ARGS=--upgrade` takes the newest, `LOCK_ARGS="--upgrade-package django"` one package).
## Review requirements/advisories.toml with every upgrade.
lock: $(TOOLS)/bin/pip-compile
	$(PIP_COMPILE) --extra test -o $(LOCK_TEST) pyproject.toml
	$(PIP_COMPILE) -c $(LOCK_TEST) -o $(LOCK_RUNTIME) pyproject.toml

## make audit: pip-audit against the lock (test.lock holds every runtime pin too). It asks a vulnerability
## service (PyPI's JSON API or OSV) over the network: run it where that is reachable (README, Dependencies).
audit: $(TOOLS)/bin/pip-compile
	$(TOOLS)/bin/pip-audit --strict --require-hashes --disable-pip -r $(LOCK_TEST)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: fresh machine -> the app with demo data at http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL is set)
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "SECTOR Program Portal: http://127.0.0.1:$(PORT)/  (sign in with a user above, password sector-demo)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Debian packages the tests need: Chromium for the browser tests, HarfBuzz subset for fast WeasyPrint.
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 || ! dpkg -s fonts-dejavu-core >/dev/null 2>&1; then \
		echo "installing chromium, libharfbuzz-subset0, fonts-dejavu-core"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi

## Start PostgreSQL and Redis if they are down (the commands this machine's notes give), then wait for them.
services:
	@if ! pg_isready -h 127.0.0.1 -p 5432 -q; then \
		echo "starting PostgreSQL"; \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; \
	fi
	@for i in $$(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL did not start"; exit 1; }
	@# The reliability tests use a real broker (Redis) and real Celery workers.
	@if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
		echo "starting Redis"; \
		mkdir -p /var/lib/redis /var/log/redis; \
		$(SUDO) redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log; \
		for i in $$(seq 1 20); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done; \
	fi

## make test: everything the tests need, then the whole suite (browser tests included) on PostgreSQL.
test: install-test system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: install-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

## Benchmarks (not part of make test): figures printed to the terminal, each beside its yardstick measured in the
## same run (tests/bench/harness.py: gunicorn with 2 workers, Yardstick P); the asserts are on the ratios.
## BENCH_QUEUE_BIG: the intake queue again at this many tickets (the 5,000,000 row; 0 to skip, minutes to fill).
BENCH_QUEUE_BIG ?= 5000000
bench: install-test system-deps services
	BENCH_QUEUE_BIG=$(BENCH_QUEUE_BIG) DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest tests/bench -o addopts="-p no:cacheprovider" -s -q $(PYTEST_ARGS)

## The hostile feed at volume alone: 100,000 records, half broken; no 5xx, every "created" record stored.
bench-hostile: install-test services
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest tests/bench/bench_hostile_feed.py -o addopts="-p no:cacheprovider" -s -q $(PYTEST_ARGS)

## Production-style processes (need CELERY_BROKER_URL)
worker: install
	$(VENV)/bin/celery -A sector worker -l info
beat: install
	$(VENV)/bin/celery -A sector beat -l info

clean:
	rm -rf var artifacts staticfiles $(TOOLS)
