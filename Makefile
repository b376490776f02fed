# claimtracker: the commands people expect. `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run serve test e2e lint format check-migrations bench bench-lists demo migrate clean eval-extraction messages compilemessages

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

# Production settings on this machine: DEBUG off, static files collected (hashed, compressed), persistent
# database connections, gunicorn's workers from the cores (WEB_CONCURRENCY overrides). Plain HTTP on
# 127.0.0.1 only (SERVE_INSECURE_HTTP); in production a TLS proxy goes in front (README, "Production").
SERVE_ENV := DEBUG=0 SERVE_INSECURE_HTTP=1

serve: demo  ## like production: gunicorn, DEBUG=0, whitenoise, on http://127.0.0.1:8000 (PostgreSQL by DATABASE_URL)
	$(SERVE_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Pages (reviewers):  http://$(HOST):$(PORT)/     (gunicorn, DEBUG=0)"
	@echo ""
	$(SERVE_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT)

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

# The French interface: locale/fr/LC_MESSAGES/django.po (templates and Python) and djangojs.po (static/js's
# gettext(), served by /jsi18n/), translated by hand, and their compiled .mo files, all committed, so a fresh clone
# needs neither step. Both need GNU gettext (apt-get install gettext).
MESSAGES_IGNORE := --ignore=staticfiles --ignore=tests --ignore=bench --ignore=test-artifacts --ignore=docs

messages: $(VENV)/.installed .env  ## collect the interface's strings into locale/fr/LC_MESSAGES/django.po and djangojs.po
	$(PY) manage.py makemessages -l fr --no-obsolete $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages -d djangojs -l fr --no-obsolete $(MESSAGES_IGNORE) --ignore=static/vendor

compilemessages: $(VENV)/.installed .env  ## compile django.po and djangojs.po to .mo (commit them; tests/test_i18n.py checks they match)
	$(PY) manage.py compilemessages -l fr --ignore=.venv --ignore=staticfiles

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench-installed .env  ## serve generated data under gunicorn, load it with wrk, compare (docs/benchmarks.md); BENCH_PG=1 adds PostgreSQL
	$(PY) manage.py benchmark

bench-lists: migrate  ## the admin, page and API lists in process at 30 to 1,000 claims (rolled back), STIX, extraction
	$(PY) manage.py benchmark --lists

eval-extraction: $(VENV)/.installed .env  ## score the proposed attributions against the demo article's hand-made ones
	$(PY) manage.py eval_extraction

clean:  ## remove the virtualenv, the local database and caches
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache test-artifacts
