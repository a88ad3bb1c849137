# Đảng vụ: the newcomer's commands. `make help` lists them.
#
#   make demo   install, migrate a SQLite database under var/, seed a demo province, serve it
#   make test   lint, migration check and the whole test suite on SQLite, then on PostgreSQL

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo always runs on its own SQLite file, whatever DATABASE_URL the shell has.
DEMO_DATABASE_URL ?= sqlite:///$(CURDIR)/var/dangvu.sqlite3

# Stamps live inside the venv, so deleting .venv forgets them; they are older than
# pyproject.toml whenever its dependencies may have changed.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: help install install-dev demo-db demo test lint fmt bench clean

help: ## Show this list
	@echo "Đảng vụ: make targets"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "Variables: PORT (demo port, now $(PORT)), DEMO_PASSWORD (demo accounts), DATABASE_URL (PostgreSQL of make test),"
	@echo "           PYTEST_WORKERS (default 2), PYTEST_ARGS (extra pytest arguments), CI=true (nothing may be skipped)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(RUNTIME_STAMP) ## Create .venv and install the project (quick when already done)

install-dev: $(DEV_STAMP) ## install, plus test and lint tools

# The demo's environment: development mode with a throw-away key, for the demo only.
DEMO_ENV := DEBUG=true SECRET_KEY=demo-only-insecure-secret-key DATABASE_URL='$(DEMO_DATABASE_URL)' \
	DJANGO_SETTINGS_MODULE=config.settings

demo-db: install ## Migrate and seed the demo database (var/dangvu.sqlite3) without serving it
	@mkdir -p var
	@export $(DEMO_ENV); \
	echo "== dangvu migrate ($(DEMO_DATABASE_URL))"; \
	$(BIN)/dangvu migrate --no-input; \
	echo "== dangvu seed --province 04 --scale demo --seed 1"; \
	$(BIN)/dangvu seed --province 04 --scale demo --seed 1

demo: demo-db ## Migrate and seed the demo database, then serve it on 127.0.0.1:PORT
	@echo
	@echo "Đảng vụ demo: http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@echo "This is Django's development server: fine for a demo on this machine, not for production (README.md)."
	@echo
	@export $(DEMO_ENV); exec $(BIN)/dangvu runserver 127.0.0.1:$(PORT)

test: install-dev ## Lint, migration check, whole suite on SQLite then PostgreSQL (CI=true: nothing may be skipped)
	scripts/ensure-chromium.sh
	scripts/ensure-libreoffice.sh
	scripts/test.sh

lint: install-dev ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install-dev ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev demo-db ## Run the benchmarks in bench/ (reads use the seeded demo database)
	@export DATABASE_URL='$(DEMO_DATABASE_URL)'; scripts/bench.sh

clean: ## Remove the SQLite files under var/ (demo and benchmarks) and test-output/ (keeps .venv)
	rm -f var/*.sqlite3 var/*.sqlite3-wal var/*.sqlite3-shm var/*.sqlite3-journal
	rm -rf var/bench test-output
