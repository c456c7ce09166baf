# Peerdesk: `make run` serves a demo community, `make test` runs the whole suite.
SHELL := /bin/bash
UV_VERSION := 0.13.8
export UV_PYTHON := python3.11
export UV_PYTHON_DOWNLOADS := never
PYTHON := .venv/bin/python
UV := python3.11 -m uv

.PHONY: run test install install-dev lint uv

uv:
	@$(UV) --version >/dev/null 2>&1 || python3.11 -m pip install --quiet "uv==$(UV_VERSION)"

install: uv
	$(UV) sync --frozen --no-dev --inexact

install-dev: uv
	$(UV) sync --frozen

# Embedded default: SQLite under var/, tasks in-process, mail to the console.
run: install
	DEBUG=true $(PYTHON) manage.py migrate --noinput
	DEBUG=true $(PYTHON) manage.py seed_demo --if-empty
	DEBUG=true $(PYTHON) manage.py runserver 127.0.0.1:8000

lint: install-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy

# The real PostgreSQL and Redis of this machine; never SQLite.
test: install-dev
	$(PYTHON) scripts/check_services.py
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	# The layering (docs/architecture.md) and the types of core, services, selectors, ledger.
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy
	DJANGO_SETTINGS_MODULE=config.settings_test $(PYTHON) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings_test $(PYTHON) scripts/check_translations.py
	bash scripts/ensure_tools.sh
	$(PYTHON) -m pytest --create-db -n 2 --dist loadgroup
	# The newcomer's demo: the main journeys on SQLite with tasks in-process, as `make run`.
	$(PYTHON) -m pytest tests/embedded --ds=config.settings_embedded_test
