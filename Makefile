# claimtracker: the commands people expect. `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test e2e lint format check-migrations bench demo migrate clean eval-extraction

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.env:
	sed "s|^SECRET_KEY=.*|SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')|" .env.example > .env

migrate: $(VENV)/.installed .env  ## apply migrations
	$(PY) manage.py migrate --no-input

demo: migrate  ## load the demo article (idempotent)
	$(PY) manage.py load_demo

run: demo  ## set up everything, load the demo and serve on http://127.0.0.1:8000
	@echo ""
	@echo "  Pages (reviewers):  http://$(HOST):$(PORT)/"
	@echo "  Admin (analysts):   http://$(HOST):$(PORT)/admin/"
	@echo "  API docs:           http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed .env  ## run the whole suite (browser tests included when Chromium is installed)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

e2e: $(VENV)/.installed .env  ## only the browser tests (needs Debian's chromium: apt-get install -y chromium)
	$(VENV)/bin/pytest tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed  ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed  ## fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: $(VENV)/.installed .env  ## fail when models and migrations differ
	$(PY) manage.py makemigrations --check --dry-run

bench: migrate  ## measure page and API timings on generated data (results: docs/benchmarks.md)
	$(PY) manage.py benchmark

eval-extraction: $(VENV)/.installed .env  ## score the proposed attributions against the demo article's hand-made ones
	$(PY) manage.py eval_extraction

clean:  ## remove the virtualenv, the local database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache test-artifacts
